package dev.atelier.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.filter.GlobFilter;
import dev.atelier.core.filter.PayloadFilter;
import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.FedMedian;
import dev.atelier.core.strategy.FedProx;
import dev.atelier.core.strategy.Krum;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.Strategy;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.core.testing.Params;
import dev.atelier.core.testing.Workloads;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.transport.WireLedger;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.NodeMiddleware;
import dev.atelier.core.workload.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunTest {
    @TempDir
    Path tmp;

    private static Node node(String id, Workload w) {
        return new Node(id, w);
    }

    private static Run.Builder builder(Strategy strategy, InProcessTransport transport, int rounds, ParamSet initial) {
        return Run.builder()
                .setConfig(RunConfig.of("test-run", rounds, 11L))
                .setStrategy(strategy)
                .setTransport(transport)
                .setInitial(initial);
    }

    private static Run.Result run(Strategy strategy, List<Node> nodes, int rounds, ParamSet initial) throws Exception {
        return builder(strategy, new InProcessTransport(nodes), rounds, initial)
                .build()
                .execute();
    }

    @Test
    void fedAvgIsExact() throws Exception {
        Run.Result r = run(
                new FedAvg(Sampling.all(2), Config.empty()),
                List.of(node("a", Workloads.shift(1, 1)), node("b", Workloads.shift(2, 3))),
                2,
                Params.small());
        // Each round moves by (1*1 + 3*2) / 4 = 1.75.
        assertThat(r.global()).isEqualTo(Params.map(Params.small(), x -> x + 3.5f));
        assertThat(r.rounds()).hasSize(2).allSatisfy(rec -> {
            assertThat(rec.aggregated()).isTrue();
            assertThat(rec.replies()).isEqualTo(2);
            assertThat(rec.failures()).isEmpty();
            assertThat(rec.fit()).containsEntry("loss", 1.75);
        });
    }

    @Test
    void badRepliesAreRejectedWithAReasonAndNeverReachTheModel() throws Exception {
        List<Node> nodes = List.of(
                node("good", Workloads.shift(1, 1)),
                node("nan", Workloads.nan()),
                node("shape", Workloads.wrongShape()),
                node("dtype", Workloads.wrongDtype()),
                node("boom", Workloads.failing("disk on fire")),
                node("npe", (ins, cancel) -> {
                    throw new NullPointerException();
                }));
        Run.Result r = run(new FedAvg(new Sampling(1.0, 6, 1, 1.0), Config.empty()), nodes, 1, Params.small());
        assertThat(r.global()).isEqualTo(Params.map(Params.small(), x -> x + 1));
        RoundRecord rec = r.rounds().get(0);
        assertThat(rec.replies()).isEqualTo(1);
        assertThat(rec.aggregated()).isTrue();
        Map<String, Failure> byNode =
                rec.failures().stream().collect(java.util.stream.Collectors.toMap(Failure::nodeId, f -> f));
        assertThat(byNode).containsOnlyKeys("nan", "shape", "dtype", "boom", "npe");
        assertThat(byNode.get("nan").kind()).isEqualTo(Failure.Kind.REJECTED);
        assertThat(byNode.get("nan").reason()).contains("NaN").contains("'layer.w'");
        assertThat(byNode.get("shape").kind()).isEqualTo(Failure.Kind.REJECTED);
        assertThat(byNode.get("shape").reason()).contains("shape [6], expected [2, 3]");
        assertThat(byNode.get("dtype").kind()).isEqualTo(Failure.Kind.REJECTED);
        assertThat(byNode.get("dtype").reason()).contains("dtype I32, expected F32");
        assertThat(byNode.get("boom").kind()).isEqualTo(Failure.Kind.ERROR);
        assertThat(byNode.get("boom").reason()).contains("disk on fire");
        assertThat(byNode.get("npe").reason()).contains("NullPointerException");
    }

    @Test
    void tooFewRepliesKeepTheGlobalModel() throws Exception {
        List<Node> nodes = List.of(
                node("a", Workloads.shift(1, 1)),
                node("b", Workloads.shift(2, 1)),
                node("c", Workloads.failing("no data")));
        Run.Result r = run(new FedAvg(new Sampling(1.0, 3, 3, 1.0), Config.empty()), nodes, 2, Params.small());
        assertThat(r.global()).isEqualTo(Params.small());
        assertThat(r.rounds()).allSatisfy(rec -> {
            assertThat(rec.aggregated()).isFalse();
            assertThat(rec.replies()).isEqualTo(2);
            assertThat(rec.failures()).extracting(Failure::nodeId).containsExactly("c");
        });
        // Enough replies but too many failures (1 of 3 > 20%) is also not aggregated.
        Run.Result strict = run(new FedAvg(new Sampling(1.0, 3, 1, 0.2), Config.empty()), nodes, 1, Params.small());
        assertThat(strict.global()).isEqualTo(Params.small());
        assertThat(strict.rounds().get(0).aggregated()).isFalse();
    }

    @Test
    void metricsLinesRunJsonAndCheckpointsAreWritten() throws Exception {
        RunDirectory dir = new RunDirectory(tmp.resolve("runs/test-run"));
        Run.Result r = builder(
                        new FedAvg(Sampling.all(2), Config.empty()),
                        new InProcessTransport(
                                List.of(node("a", Workloads.shift(1, 1)), node("b", Workloads.failing("x")))),
                        3,
                        Params.small())
                .optDirectory(dir)
                .optEvaluator((round, global) ->
                        Map.of("mean_w", (double) global.get("layer.w").toFloats()[0]))
                .build()
                .execute();
        List<RoundRecord> lines = dir.readMetrics();
        assertThat(lines).extracting(RoundRecord::round).containsExactly(1, 2, 3);
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.aggregated()).isTrue();
            assertThat(l.replies()).isEqualTo(1);
            assertThat(l.sampled()).isEqualTo(2);
            assertThat(l.fit()).isEqualTo(Map.of("loss", 1.0));
            assertThat(l.failures()).hasSize(1);
        });
        assertThat(lines.get(2).eval()).isEqualTo(Map.of("mean_w", 4.0));
        assertThat(lines.get(0).failures().get(0).nodeId()).isEqualTo("b");
        assertThat(lines.get(0).failures().get(0).kind()).isEqualTo(Failure.Kind.ERROR);
        // the file holds exactly the run's records (seconds rounded to ms by the codec)
        assertThat(lines)
                .isEqualTo(r.rounds().stream()
                        .map(x -> RoundRecordCodec.fromJson(RoundRecordCodec.toJson(x)))
                        .toList());
        assertThat(Files.readString(dir.path().resolve("run.json")))
                .contains("\"strategy\" : \"fedavg\"")
                .contains("test-run");
        for (int round = 1; round <= 3; round++) {
            Safetensors.Contents c = Safetensors.readWithMetadata(dir.checkpoint(round));
            int shift = round;
            assertThat(c.params()).isEqualTo(Params.map(Params.small(), x -> x + shift));
            assertThat(c.metadata())
                    .containsEntry("round", Integer.toString(round))
                    .containsEntry("run_id", "test-run");
        }
        assertThat(r.global()).isEqualTo(Safetensors.read(dir.checkpoint(3)));
    }

    static java.util.stream.Stream<java.util.function.Supplier<Strategy>> strategies() {
        return java.util.stream.Stream.of(
                () -> new FedAvg(Sampling.all(2), Config.empty()),
                () -> new dev.atelier.core.strategy.FedAdam(Sampling.all(2), Config.empty()));
    }

    /** FedAdam's moments are checkpointed and restored, so its resumed run matches too. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("strategies")
    void resumeContinuesNumberingAndMatchesAnUninterruptedRun(java.util.function.Supplier<Strategy> strategy)
            throws Exception {
        List<Node> nodes = List.of(node("a", Workloads.shift(1, 1)), node("b", Workloads.shift(-3, 2)));
        Run.Result straight = run(strategy.get(), nodes, 4, Params.small());

        RunDirectory dir = new RunDirectory(tmp.resolve("resumed"));
        Run[] first = new Run[1];
        first[0] = builder(strategy.get(), new InProcessTransport(nodes), 4, Params.small())
                .optDirectory(dir)
                .optListener(new RunListener() {
                    @Override
                    public void onRoundEnd(RoundRecord record, int totalRounds, double etaSeconds) {
                        if (record.round() == 2) {
                            first[0].cancel(); // a crash after round 2
                        }
                    }
                })
                .build();
        assertThat(first[0].execute().rounds()).hasSize(2);

        var latest = dir.latestCheckpoint().orElseThrow();
        assertThat(latest.getKey()).isEqualTo(2);
        Run.Result resumed = builder(strategy.get(), new InProcessTransport(nodes), 4, latest.getValue())
                .optDirectory(dir)
                .optResumeAfter(latest.getKey())
                .build()
                .execute();
        assertThat(resumed.rounds()).extracting(RoundRecord::round).containsExactly(3, 4);
        assertThat(dir.readMetrics()).extracting(RoundRecord::round).containsExactly(1, 2, 3, 4);
        assertThat(dir.latestCheckpoint().orElseThrow().getKey()).isEqualTo(4);
        assertThat(resumed.global()).isEqualTo(straight.global());
        Strategy probe = strategy.get();
        boolean stateful = probe instanceof dev.atelier.core.strategy.FedOpt;
        assertThat(java.nio.file.Files.exists(dir.serverState(2))).isEqualTo(stateful);
    }

    @Test
    void ledgerRecordsExactlyTheEncodedSafetensorsSizes() throws Exception {
        InProcessTransport transport =
                new InProcessTransport(List.of(node("a", Workloads.shift(1, 1)), node("b", Workloads.shift(2, 1))));
        builder(new FedAvg(Sampling.all(2), Config.empty()), transport, 2, Params.small())
                .build()
                .execute();
        // Global before each round and each reply, as the coordinator and nodes sent them.
        ParamSet g1 = Params.small();
        ParamSet g2 = Params.map(g1, x -> x + 1.5f);
        Map<WireLedger.Key, Long> snap = transport.ledger().snapshot();
        for (String n : List.of("a", "b")) {
            float delta = n.equals("a") ? 1 : 2;
            for (int round = 1; round <= 2; round++) {
                ParamSet sent = round == 1 ? g1 : g2;
                ParamSet returned = Params.map(sent, x -> x + delta);
                assertThat(snap.get(new WireLedger.Key(n, round, Direction.TO_NODE, PayloadKind.PARAMETERS)))
                        .isEqualTo(Safetensors.encode(sent).length);
                assertThat(snap.get(new WireLedger.Key(n, round, Direction.FROM_NODE, PayloadKind.PARAMETERS)))
                        .isEqualTo(Safetensors.encode(returned).length);
                assertThat(snap.get(new WireLedger.Key(n, round, Direction.FROM_NODE, PayloadKind.METRICS)))
                        .isEqualTo("loss".length() + 8L);
            }
        }
        assertThat(transport.ledger().total(Direction.TO_NODE, PayloadKind.PARAMETERS))
                .isEqualTo(4L * Safetensors.encode(g1).length);
        assertThat(transport.ledger().total(Direction.FROM_NODE, PayloadKind.COMPACT))
                .isZero();
    }

    /** A node's full model: shared discriminator weights plus state that must stay local. */
    private static ParamSet fullModel() {
        return ParamSet.builder()
                .putF32("disc.conv.weight", new long[] {4}, new float[] {1, 2, 3, 4})
                .putF32("disc.bn.running_mean", new long[] {64}, new float[64])
                .putF32("disc.head.bias", new long[] {1}, new float[] {0.5f})
                .putF32("gen.conv.weight", new long[] {256}, new float[256])
                .build();
    }

    @Test
    void outboundGlobFilterKeepsExcludedNamesOffTheWire() throws Exception {
        GlobFilter share = GlobFilter.of("include disc.**", "exclude **.bn.**");
        ParamSet shared = share.process(fullModel());
        assertThat(share.dropped(fullModel())).containsExactly("disc.bn.running_mean", "gen.conv.weight");
        // The workload returns its whole model (shared part + local state), as a real trainer would.
        Workload trainer = (ins, cancel) -> new dev.atelier.core.message.Reply(
                ins.nodeId(), ins.round(), fullModel().merge(Params.map(ins.params(), x -> x + 1)), 1, Map.of(), null);

        InProcessTransport filtered = new InProcessTransport(
                List.of(new Node("a", List.of(NodeMiddleware.filtering(PayloadFilter.identity(), share)), trainer)));
        Run.Result r = builder(new FedAvg(Sampling.all(1), Config.empty()), filtered, 1, shared)
                .build()
                .execute();
        long fromNode = filtered.ledger().total(Direction.FROM_NODE, PayloadKind.PARAMETERS);
        assertThat(fromNode)
                .isEqualTo(Safetensors.encode(share.process(fullModel())).length)
                .isLessThan(Safetensors.encode(fullModel()).length);
        assertThat(r.global().names()).containsExactly("disc.conv.weight", "disc.head.bias");
        assertThat(r.global()).isEqualTo(Params.map(shared, x -> x + 1));

        // Control: without the filter the local state leaves the node (and the coordinator refuses it).
        InProcessTransport unfiltered = new InProcessTransport(List.of(new Node("a", trainer)));
        Run.Result leaked = builder(new FedAvg(Sampling.all(1), Config.empty()), unfiltered, 1, shared)
                .build()
                .execute();
        assertThat(unfiltered.ledger().total(Direction.FROM_NODE, PayloadKind.PARAMETERS))
                .isEqualTo(Safetensors.encode(fullModel()).length);
        assertThat(leaked.rounds().get(0).failures()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Failure.Kind.REJECTED);
            assertThat(f.reason()).contains("exceeds the limit");
        });
        assertThat(leaked.global()).isEqualTo(shared);
    }

    @Test
    void fedProxSendsMuEveryRound() throws Exception {
        Workloads.Recording a = new Workloads.Recording(Workloads.shift(1, 1));
        run(new FedProx(Sampling.all(1), Config.empty(), 0.01), List.of(node("a", a)), 3, Params.small());
        assertThat(a.seen())
                .hasSize(3)
                .allSatisfy(ins -> assertThat(ins.config().getDouble(TrainKeys.PROXIMAL_MU, -1))
                        .isEqualTo(0.01));
        assertThat(a.seen())
                .extracting(ins -> ins.config().getInt(TrainKeys.ROUND, 0))
                .containsExactly(1, 2, 3);
    }

    @Test
    void robustStrategiesSurviveAByzantineNodeInARun() throws Exception {
        List<Node> nodes = List.of(
                node("h1", Workloads.shift(1, 1)),
                node("h2", Workloads.shift(2, 1)),
                node("h3", Workloads.shift(3, 1)),
                node("h4", Workloads.shift(1.5f, 1)),
                node("evil", Workloads.shift(1e6f, 1000)));
        Sampling all = new Sampling(1.0, 5, 5, 0.0);
        assertThat(unbounded(new FedMedian(all, Config.empty()), nodes, 1, Params.vector(0))
                        .global())
                .isEqualTo(Params.vector(2));
        float krum = unbounded(new Krum(all, Config.empty(), 1), nodes, 1, Params.vector(0))
                .global()
                .get("w")
                .toFloats()[0];
        assertThat(krum).isBetween(1f, 3f);
        float avg = unbounded(new FedAvg(all, Config.empty()), nodes, 1, Params.vector(0))
                .global()
                .get("w")
                .toFloats()[0];
        assertThat(avg).isGreaterThan(1e5f);
        // with the default update-norm bound the outlier never reaches the aggregator
        Run.Result bounded = run(new FedAvg(new Sampling(1.0, 5, 4, 0.25), Config.empty()), nodes, 1, Params.vector(0));
        assertThat(bounded.rounds().get(0).failures())
                .singleElement()
                .satisfies(f -> assertThat(f.reason()).startsWith("update norm 1.000e+06 exceeds the bound 10.00"));
        assertThat(bounded.global()).isEqualTo(Params.vector(1.875f));
    }

    /** The rule alone against the outlier: the run's update-norm bound is off. */
    private static Run.Result unbounded(Strategy strategy, List<Node> nodes, int rounds, ParamSet initial)
            throws Exception {
        return builder(strategy, new InProcessTransport(nodes), rounds, initial)
                .optReplyLimits(ReplyLimits.DEFAULT.withoutNormBound())
                .build()
                .execute();
    }
}
