package dev.atelier.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.aggregate.Aggregator;
import dev.atelier.core.aggregate.WeightedMeanAggregator;
import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.Strategy;
import dev.atelier.core.testing.Params;
import dev.atelier.core.testing.TestThreads;
import dev.atelier.core.testing.Workloads;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.transport.Transport;
import dev.atelier.core.workload.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Honest rounds: zero-example replies, rounds without nodes, one deadline per round, broken aggregators. */
class RoundRulesTest {
    @RegisterExtension
    final TestThreads rounds = new TestThreads(); // blocking rounds: not on the common pool

    @TempDir
    Path tmp;

    /** Wraps a transport: the first {@code scarce} awaits see one node fewer, each await takes {@code slow}. */
    private static final class FlakyNodes implements Transport {
        private final Transport inner;
        private final int scarce;
        private final Duration slow;
        final AtomicInteger awaits = new AtomicInteger();
        final List<Duration> deadlines = new ArrayList<>();

        FlakyNodes(Transport inner, int scarce, Duration slow) {
            this.inner = inner;
            this.scarce = scarce;
            this.slow = slow;
        }

        @Override
        public List<NodeInfo> awaitNodes(int min, Duration timeout) throws InterruptedException {
            Thread.sleep(slow.toMillis());
            List<NodeInfo> all = inner.awaitNodes(min, timeout);
            return awaits.incrementAndGet() <= scarce ? all.subList(0, all.size() - 1) : all;
        }

        @Override
        public void sendAndReceive(List<Instruction> instructions, ReplySink sink, Duration deadline)
                throws InterruptedException {
            deadlines.add(deadline);
            inner.sendAndReceive(instructions, sink, deadline);
        }
    }

    private static InProcessTransport twoNodes() {
        return new InProcessTransport(
                List.of(new Node("a", Workloads.shift(1, 1)), new Node("b", Workloads.shift(3, 1))));
    }

    private static Run.Builder run(Transport t, int rounds, Duration timeout) {
        return Run.builder()
                .setConfig(RunConfig.of("rules", rounds, 5).withRoundTimeout(timeout))
                .setStrategy(new FedAvg(Sampling.all(2), Config.empty()))
                .setTransport(t)
                .setInitial(Params.small());
    }

    @Test
    void aZeroExampleReplyIsAFailureWithAReasonNotAWeight() throws Exception {
        List<Node> nodes = List.of(new Node("a", Workloads.shift(1, 2)), new Node("empty", Workloads.shift(100, 0)));
        Run.Result r = Run.builder()
                .setConfig(RunConfig.of("zero", 1, 5))
                .setStrategy(new FedAvg(new Sampling(1.0, 2, 1, 0.5), Config.empty()))
                .setTransport(new InProcessTransport(nodes))
                .setInitial(Params.small())
                .build()
                .execute();
        RoundRecord rec = r.rounds().get(0);
        assertThat(rec.replies()).isEqualTo(1);
        assertThat(rec.failures()).singleElement().satisfies(f -> {
            assertThat(f.nodeId()).isEqualTo("empty");
            assertThat(f.kind()).isEqualTo(Failure.Kind.REJECTED);
            assertThat(f.reason()).contains("0 examples");
        });
        assertThat(r.global()).isEqualTo(Params.map(Params.small(), x -> x + 1));
    }

    @Test
    void aRoundWithTooFewNodesIsRetriedNotCountedAndSaysSo() throws Exception {
        FlakyNodes t = new FlakyNodes(twoNodes(), 2, Duration.ZERO);
        RunDirectory dir = new RunDirectory(tmp.resolve("waits"));
        List<String> events = new ArrayList<>();
        Run.Result r = run(t, 2, Duration.ofMillis(200))
                .optDirectory(dir)
                .optListener(new RunListener() {
                    @Override
                    public void onRoundStart(int round, int totalRounds) {
                        events.add("start " + round);
                    }

                    @Override
                    public void onRoundWaiting(int round, int attempt, int available, int required) {
                        events.add("wait " + round + " attempt " + attempt + " " + available + "/" + required);
                    }
                })
                .build()
                .execute();
        assertThat(events).containsExactly("start 1", "wait 1 attempt 1 1/2", "wait 1 attempt 2 1/2", "start 2");
        assertThat(r.rounds()).extracting(RoundRecord::round).containsExactly(1, 2);
        assertThat(r.rounds()).extracting(RoundRecord::nodeWaits).containsExactly(2, 0);
        assertThat(r.rounds()).allMatch(RoundRecord::aggregated);
        // both rounds really trained: (1 + 3) / 2 = 2 per round
        assertThat(r.global()).isEqualTo(Params.map(Params.small(), x -> x + 4));
        // a failed wait waits out its deadline instead of spinning
        assertThat(r.rounds().get(0).seconds()).isGreaterThanOrEqualTo(0.4);
        assertThat(dir.readMetrics()).extracting(RoundRecord::nodeWaits).containsExactly(2, 0);
        assertThat(dir.latestCheckpoint().orElseThrow().getKey()).isEqualTo(2);
    }

    @Test
    void cancellingWhileWaitingForNodesEndsTheRunWithoutARound() throws Exception {
        FlakyNodes t = new FlakyNodes(twoNodes(), Integer.MAX_VALUE, Duration.ZERO);
        RunDirectory dir = new RunDirectory(tmp.resolve("cancelled"));
        List<Integer> waits = new java.util.concurrent.CopyOnWriteArrayList<>();
        Run run = run(t, 3, Duration.ofMillis(300))
                .optDirectory(dir)
                .optListener(new RunListener() {
                    @Override
                    public void onRoundWaiting(int round, int attempt, int available, int required) {
                        waits.add(attempt);
                    }
                })
                .build();
        // cancelled from another thread in the middle of a long wait (the run would wait forever)
        var canceller = java.util.concurrent.CompletableFuture.runAsync(
                () -> {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    run.cancel();
                },
                rounds);
        long t0 = System.nanoTime();
        Run.Result r = run.execute();
        canceller.get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(seconds).isBetween(0.9, 3.0);
        assertThat(waits).startsWith(1, 2).hasSizeBetween(2, 4); // 300 ms attempts, retried until cancelled
        assertThat(r.rounds()).isEmpty();
        assertThat(r.global()).isEqualTo(Params.small());
        assertThat(dir.latestCheckpoint()).isEmpty();
        assertThat(Files.exists(dir.path().resolve("metrics.jsonl"))).isFalse();
    }

    @Test
    void cancelIsSeenWithinASecondEvenDuringOneLongAttempt() throws Exception {
        FlakyNodes t = new FlakyNodes(twoNodes(), Integer.MAX_VALUE, Duration.ZERO);
        Run run = run(t, 1, Duration.ofMinutes(10)).build();
        var canceller = java.util.concurrent.CompletableFuture.runAsync(
                () -> {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    run.cancel();
                },
                rounds);
        long t0 = System.nanoTime();
        assertThat(run.execute().rounds()).isEmpty();
        canceller.get();
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(2.5);
    }

    @Test
    void waitingIsBoundedWhenAsked() {
        FlakyNodes t = new FlakyNodes(twoNodes(), Integer.MAX_VALUE, Duration.ZERO);
        assertThatThrownBy(() -> run(t, 1, Duration.ofMillis(50))
                        .optMaxNodeWaits(3)
                        .build()
                        .execute())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("round 1: only 1 of the required 2 nodes")
                .hasMessageContaining("3 waits");
        assertThat(t.awaits.get()).isEqualTo(3);
    }

    @Test
    void waitingForNodesAndCollectingRepliesShareOneDeadline() throws Exception {
        FlakyNodes t = new FlakyNodes(twoNodes(), 0, Duration.ofMillis(400));
        run(t, 1, Duration.ofSeconds(2)).build().execute();
        assertThat(t.deadlines)
                .singleElement()
                .satisfies(d -> assertThat(d)
                        .isLessThanOrEqualTo(Duration.ofMillis(1600))
                        .isGreaterThan(Duration.ofMillis(1000)));
    }

    /** A strategy whose aggregator breaks on the second reply, after folding part of it. */
    private static Strategy breaking() {
        return new FedAvg(Sampling.all(2), Config.empty()) {
            @Override
            public Aggregator newAggregator(int round) {
                WeightedMeanAggregator inner = new WeightedMeanAggregator();
                return new Aggregator() {
                    @Override
                    public void accept(Reply reply) throws dev.atelier.core.filter.RejectedPayloadException {
                        inner.accept(reply);
                        if (inner.accepted() == 2) {
                            throw new ArithmeticException("overflow in the accumulator");
                        }
                    }

                    @Override
                    public int accepted() {
                        return inner.accepted();
                    }

                    @Override
                    public ParamSet result() {
                        return inner.result();
                    }
                };
            }
        };
    }

    @Test
    void aCoordinatorErrorWhileTakingAReplyIsAnErrorFailureAndTheModelIsKept() throws Exception {
        Run.Result r = Run.builder()
                .setConfig(RunConfig.of("broken", 1, 5))
                .setStrategy(breaking())
                .setTransport(twoNodes())
                .setInitial(Params.small())
                .build()
                .execute();
        RoundRecord rec = r.rounds().get(0);
        assertThat(rec.aggregated()).isFalse();
        assertThat(r.global()).isEqualTo(Params.small());
        Map<String, Failure> byNode =
                rec.failures().stream().collect(java.util.stream.Collectors.toMap(Failure::nodeId, f -> f));
        assertThat(byNode.get("b").kind()).isEqualTo(Failure.Kind.ERROR);
        assertThat(byNode.get("b").reason()).contains("coordinator error").contains("overflow in the accumulator");
        assertThat(byNode.get("*").reason()).contains("aggregate may hold part of it");
    }
}
