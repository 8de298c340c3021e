package dev.atelier.zo.fed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.run.RunListener;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.transport.Transport;
import dev.atelier.core.transport.WireLedger;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.workload.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The FedKSeed federation in one JVM: every party ends bit-identical, late joiners catch up. */
class FedKSeedRunTest {
    @TempDir
    Path tmp;

    private static Run.Result run(Transport t, ParamSet initial, FedKSeed strategy, int rounds, RunListener l)
            throws Exception {
        return Run.builder()
                .setConfig(new RunConfig("zo-test", rounds, 11, Duration.ofMinutes(2), 1, 1, Map.of()))
                .setStrategy(strategy)
                .setTransport(t)
                .setInitial(initial)
                .optListener(l)
                .build()
                .execute();
    }

    @Test
    void twoClientsAndTheCoordinatorEndEachRoundBitIdentical() throws Exception {
        Path model = FedFixtures.model(tmp.resolve("model"));
        ParamSet initial = new ZoProvider().initialParameters(FedFixtures.workload(model));
        List<Node> nodes = FedFixtures.nodes(tmp, model, 2);
        InProcessTransport t = new InProcessTransport(nodes);
        FedKSeed strategy = new FedKSeed(Sampling.all(2), FedFixtures.train(4, 1e-2), 64);

        Run.Result r = run(t, initial, strategy, 3, RunListener.NONE);

        assertThat(r.rounds()).hasSize(3).allSatisfy(rec -> {
            assertThat(rec.aggregated()).isTrue();
            assertThat(rec.replies()).isEqualTo(2);
            assertThat(rec.failures()).isEmpty();
            // the evaluation phase after each round found both replicas equal to the coordinator's
            assertThat(rec.federatedEval().orElseThrow().replies()).isEqualTo(2);
        });
        int[] global = FedFixtures.bits(r.global());
        assertThat(global).isNotEqualTo(FedFixtures.bits(initial)); // the rounds moved the model
        for (Node n : nodes) {
            ZoClient c = FedFixtures.client(n);
            assertThat(c.appliedRound()).isEqualTo(3);
            assertThat(FedFixtures.bits(c.model())).isEqualTo(global);
            assertThat(Replay.sha256(c.model().parameters())).isEqualTo(Replay.sha256(r.global()));
        }
        // 3 rounds, 2 nodes x 4 distinct seeds each: at most 8 seeds per round in the history
        assertThat(strategy.log().between(0, 3))
                .hasSize(3)
                .allSatisfy(u -> assertThat(u.size()).isBetween(4, 8));
        // nothing but (seed, g) pairs and the loss metric left a node: 3 + 10*4 = 43 payload bytes
        Map<WireLedger.Key, Long> wire = t.ledger().snapshot();
        for (String node : List.of("n0", "n1")) {
            for (int round = 1; round <= 3; round++) {
                long up = upload(wire, node, round);
                assertThat(up).isLessThanOrEqualTo(1024);
                assertThat(wire.get(
                                new WireLedger.Key(node, round, Direction.FROM_NODE, WireLedger.PayloadKind.COMPACT)))
                        .isEqualTo(43L);
                assertThat(wire.get(new WireLedger.Key(
                                node, round, Direction.FROM_NODE, WireLedger.PayloadKind.PARAMETERS)))
                        .isNull();
            }
        }
    }

    @Test
    void aReplyWithSeedsItWasNotAssignedIsRejectedAndLeavesNoTrace() throws Exception {
        Path model = FedFixtures.model(tmp.resolve("model"));
        ParamSet initial = new ZoProvider().initialParameters(FedFixtures.workload(model));
        List<Node> honest = FedFixtures.nodes(tmp.resolve("a"), model, 2);
        List<Node> withLiar = new java.util.ArrayList<>(FedFixtures.nodes(tmp.resolve("b"), model, 2));
        // n1 answers with pool index 63 scaled up, a seed the coordinator never gave it
        withLiar.set(1, withLiar.get(1).withOuter((ins, cancel, next) -> {
            dev.atelier.core.message.Reply r = next.handle(ins, cancel);
            byte[] bad = ScalarPairs.encode(List.of(new ScalarPairs.Pair(63, 50.0)));
            return ins.kind() == dev.atelier.core.message.TaskKind.TRAIN
                    ? new dev.atelier.core.message.Reply(
                            r.nodeId(), r.round(), r.params(), r.numExamples(), r.metrics(), bad)
                    : r;
        }));
        Sampling one = new Sampling(1.0, 2, 1, 0.5);
        Run.Result clean = run(
                new InProcessTransport(List.of(honest.get(0))),
                initial,
                new FedKSeed(new Sampling(1.0, 1, 1, 0.5), FedFixtures.train(4, 1e-2), 64),
                1,
                RunListener.NONE);
        Run.Result attacked = run(
                new InProcessTransport(withLiar),
                initial,
                new FedKSeed(one, FedFixtures.train(4, 1e-2), 64),
                1,
                RunListener.NONE);
        RoundRecord rec = attacked.rounds().get(0);
        assertThat(rec.replies()).isEqualTo(1);
        assertThat(rec.failures()).singleElement().satisfies(f -> {
            assertThat(f.nodeId()).isEqualTo("n1");
            assertThat(f.kind()).isEqualTo(dev.atelier.core.message.Failure.Kind.REJECTED);
            assertThat(f.reason()).contains("seed index 63 was not assigned to n1 in round 1");
        });
        // the global model is exactly what n0's reply alone makes
        assertThat(FedFixtures.bits(attacked.global())).isEqualTo(FedFixtures.bits(clean.global()));
    }

    @Test
    void aResumedCoordinatorKeepsTheHistoryAndTheNodesStayBitIdentical() throws Exception {
        Path model = FedFixtures.model(tmp.resolve("model"));
        ParamSet initial = new ZoProvider().initialParameters(FedFixtures.workload(model));
        List<Node> nodes = FedFixtures.nodes(tmp, model, 2);
        InProcessTransport t = new InProcessTransport(nodes);
        dev.atelier.core.run.RunDirectory dir = new dev.atelier.core.run.RunDirectory(tmp.resolve("run"));
        RunConfig two = new RunConfig("zo-test", 2, 11, Duration.ofMinutes(2), 1, 0, Map.of());
        Run.builder()
                .setConfig(two)
                .setStrategy(new FedKSeed(Sampling.all(2), FedFixtures.train(3, 1e-2), 32))
                .setTransport(t)
                .setInitial(initial)
                .optDirectory(dir)
                .build()
                .execute();
        var checkpoint = dir.latestCheckpoint().orElseThrow();
        assertThat(checkpoint.getKey()).isEqualTo(2);
        // a new coordinator process: fresh strategy, the history comes back from the server state
        FedKSeed resumed = new FedKSeed(Sampling.all(2), FedFixtures.train(3, 1e-2), 32);
        Run.Result r = Run.builder()
                .setConfig(new RunConfig("zo-test", 4, 11, Duration.ofMinutes(2), 1, 1, Map.of()))
                .setStrategy(resumed)
                .setTransport(t)
                .setInitial(checkpoint.getValue())
                .optDirectory(dir)
                .optResumeAfter(2)
                .build()
                .execute();
        assertThat(r.rounds()).extracting(RoundRecord::round).containsExactly(3, 4);
        assertThat(r.rounds()).allSatisfy(rec -> assertThat(rec.failures()).isEmpty());
        assertThat(resumed.log().between(0, 4)).extracting(RoundUpdate::round).containsExactly(1, 2, 3, 4);
        for (Node n : nodes) {
            assertThat(FedFixtures.bits(FedFixtures.client(n).model())).isEqualTo(FedFixtures.bits(r.global()));
        }
    }

    static long upload(Map<WireLedger.Key, Long> wire, String node, int round) {
        return wire.entrySet().stream()
                .filter(e -> e.getKey().nodeId().equals(node)
                        && e.getKey().round() == round
                        && e.getKey().direction() == Direction.FROM_NODE)
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** Hides some nodes from the run until a given round starts. */
    static final class LateJoin implements Transport, RunListener {
        private final InProcessTransport inner;
        private final Map<String, Integer> joinsAt;
        private final Set<String> visible = ConcurrentHashMap.newKeySet();

        LateJoin(InProcessTransport inner, Map<String, Integer> joinsAt) {
            this.inner = inner;
            this.joinsAt = joinsAt;
        }

        @Override
        public void onRoundStart(int round, int total) {
            inner.nodes().keySet().stream()
                    .filter(n -> joinsAt.getOrDefault(n, 1) <= round)
                    .forEach(visible::add);
        }

        @Override
        public List<NodeInfo> awaitNodes(int min, Duration timeout) throws InterruptedException {
            return inner.awaitNodes(min, timeout).stream()
                    .filter(n -> visible.contains(n.nodeId()))
                    .toList();
        }

        @Override
        public void sendAndReceive(List<dev.atelier.core.message.Instruction> ins, ReplySink sink, Duration d) {
            inner.sendAndReceive(ins, sink, d);
        }

        @Override
        public WireLedger ledger() {
            return inner.ledger();
        }
    }

    @ParameterizedTest
    @EnumSource(FedKSeed.CatchUp.class)
    void aLateJoinerCatchesUpBitIdentical(FedKSeed.CatchUp catchUp) throws Exception {
        Path model = FedFixtures.model(tmp.resolve("model"));
        ParamSet initial = new ZoProvider().initialParameters(FedFixtures.workload(model));
        List<Node> nodes = FedFixtures.nodes(tmp, model, 3);
        InProcessTransport inner = new InProcessTransport(nodes);
        LateJoin t = new LateJoin(inner, Map.of("n2", 4));
        FedKSeed strategy = new FedKSeed(new Sampling(1.0, 2, 2, 0.5), FedFixtures.train(3, 1e-2), 32, catchUp);

        Run.Result r = run(t, initial, strategy, 5, t);

        assertThat(r.rounds()).extracting(RoundRecord::replies).containsExactly(2, 2, 2, 3, 3);
        assertThat(r.rounds()).allSatisfy(rec -> assertThat(rec.failures()).isEmpty());
        int[] global = FedFixtures.bits(r.global());
        for (Node n : nodes) {
            assertThat(FedFixtures.bits(FedFixtures.client(n).model()))
                    .as(n.nodeId())
                    .isEqualTo(global);
        }
        // n2's first instruction (round 4) brought it from round 0 to round 3
        long down = inner.ledger()
                .snapshot()
                .getOrDefault(new WireLedger.Key("n2", 4, Direction.TO_NODE, WireLedger.PayloadKind.PARAMETERS), 0L);
        long history = strategy.log().bytes(0, 3);
        long checkpoint = initial.byteSize();
        assertThat(history).isLessThan(checkpoint);
        if (catchUp == FedKSeed.CatchUp.CHECKPOINT) {
            assertThat(down).isGreaterThan(checkpoint); // the model's bytes plus the safetensors header
        } else {
            assertThat(down).isGreaterThan(history).isLessThan(checkpoint);
        }
    }
}
