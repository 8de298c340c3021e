package dev.atelier.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.testing.Params;
import dev.atelier.core.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An authenticated node that lies, checked where replies enter the run (so for every transport):
 * weights, update norms, foreign rounds and nodes, duplicates, hostile strings and metric floods.
 */
class HostileReplyTest {
    @TempDir
    Path tmp;

    /** Honest nodes "a" and "b" shift the model by +1 with 10 examples; {@code evil} is scripted. */
    private static class Scripted implements Transport {
        private final List<NodeInfo> nodes;
        private final Function<Instruction, List<Reply>> evil;
        /** What each node was told: "node: ACCEPTED" or "node: reason". */
        final List<String> told = Collections.synchronizedList(new ArrayList<>());

        Scripted(Map<String, String> evilProperties, Function<Instruction, List<Reply>> evil) {
            this.nodes = List.of(NodeInfo.of("a"), NodeInfo.of("b"), new NodeInfo("evil", evilProperties));
            this.evil = evil;
        }

        @Override
        public List<NodeInfo> awaitNodes(int min, Duration timeout) {
            return nodes;
        }

        @Override
        public void sendAndReceive(List<Instruction> instructions, ReplySink sink, Duration deadline) {
            for (Instruction ins : instructions) {
                List<Reply> replies = ins.nodeId().equals("evil")
                        ? evil.apply(ins)
                        : List.of(reply(ins, ins.nodeId(), shift(ins, 1), 10));
                for (Reply r : replies) {
                    try {
                        sink.onReply(r);
                        told.add(r.nodeId() + ": ACCEPTED");
                    } catch (RejectedPayloadException e) {
                        told.add(r.nodeId() + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    private static ParamSet shift(Instruction ins, float d) {
        return Params.map(ins.params(), x -> x + d);
    }

    private static Reply reply(Instruction ins, String node, ParamSet p, long examples) {
        return new Reply(node, ins.round(), p, examples, Map.of("loss", 0.1), null);
    }

    private static Run.Builder run(Scripted t, int rounds) {
        return Run.builder()
                .setConfig(RunConfig.of("hostile", rounds, 3))
                .setStrategy(new FedAvg(new Sampling(1.0, 3, 2, 1.0), Config.empty()))
                .setTransport(t)
                .setInitial(Params.small());
    }

    private static Failure evilFailure(RoundRecord r) {
        assertThat(r.failures()).singleElement();
        Failure f = r.failures().get(0);
        assertThat(f.nodeId()).isEqualTo("evil");
        assertThat(f.kind()).isEqualTo(Failure.Kind.REJECTED);
        return f;
    }

    @Test
    void aHugeExampleClaimIsRejectedAndCannotTakeOverTheModel() throws Exception {
        var t = new Scripted(Map.of(), ins -> List.of(reply(ins, "evil", shift(ins, -1), Long.MAX_VALUE)));
        Run.Result r = run(t, 1).build().execute();
        assertThat(evilFailure(r.rounds().get(0)).reason())
                .isEqualTo("reply claims 9223372036854775807 examples, above the cap of 1000000 (the run's cap)");
        assertThat(t.told)
                .contains("evil: " + r.rounds().get(0).failures().get(0).reason());
        assertThat(r.global()).isEqualTo(Params.map(Params.small(), x -> x + 1));
    }

    @Test
    void theCapIsInclusiveAndConfigurable() throws Exception {
        var limits = new ReplyLimits(30, ReplyLimits.DEFAULT_MAX_UPDATE_NORM_RATIO, 1.0);
        var t = new Scripted(Map.of(), ins -> List.of(reply(ins, "evil", shift(ins, 4), ins.round() == 1 ? 30 : 31)));
        Run.Result r = run(t, 2).optReplyLimits(limits).build().execute();
        assertThat(r.rounds().get(0).failures()).isEmpty();
        assertThat(evilFailure(r.rounds().get(1)).reason()).contains("31 examples, above the cap of 30");
        // round 1: (10 + 10 + 30 * 4) / 50 = 2.8; round 2: honest +1
        assertThat(r.global().get("layer.b").toFloats())
                .containsExactly(new float[] {-1 + 3.8f, 3.8f, 0.5f + 3.8f}, within(1e-5f));
    }

    @Test
    void aDeclaredDatasetSizeLowersTheCap() throws Exception {
        var t = new Scripted(
                Map.of(ReplyLimits.DECLARED_EXAMPLES, "20"),
                ins -> List.of(reply(ins, "evil", shift(ins, 1), ins.round() == 1 ? 20 : 21)));
        Run.Result r = run(t, 2).build().execute();
        assertThat(r.rounds().get(0).failures()).isEmpty();
        assertThat(evilFailure(r.rounds().get(1)).reason())
                .isEqualTo("reply claims 21 examples, above the cap of 20"
                        + " (the dataset size this node declared at registration)");
        assertThat(ReplyLimits.DEFAULT.maxExamplesFor(new NodeInfo("x", Map.of("num_examples", "lots"))))
                .isEqualTo(1_000_000);
        assertThat(ReplyLimits.DEFAULT.maxExamplesFor(new NodeInfo("x", Map.of("num_examples", "-5"))))
                .isEqualTo(1_000_000);
        assertThat(ReplyLimits.DEFAULT.maxExamplesFor(new NodeInfo("x", Map.of("num_examples", "9e99"))))
                .isEqualTo(1_000_000);
    }

    @Test
    void hugeFiniteValuesAreRejectedByTheNormBoundAndLaterHonestRoundsStayFinite() throws Exception {
        var t = new Scripted(Map.of(), ins -> List.of(reply(ins, "evil", Params.map(ins.params(), x -> 3e38f), 10)));
        Run.Result r = run(t, 3).build().execute();
        for (RoundRecord rec : r.rounds()) {
            assertThat(rec.aggregated()).isTrue();
            assertThat(evilFailure(rec).reason()).startsWith("update norm 9.000e+38 exceeds the bound ");
        }
        assertThat(r.global()).isEqualTo(Params.map(Params.small(), x -> x + 3));
    }

    @Test
    void theNormBoundIsRelativeToTheGlobalWithAFloorAndCanBeTurnedOff() throws Exception {
        // ‖small‖ = 9.605; ratio 10: a shift of 30 on 9 elements (norm 90) passes, 33 (norm 99) does not
        var ok = new Scripted(Map.of(), ins -> List.of(reply(ins, "evil", shift(ins, 30), 10)));
        assertThat(run(ok, 1).build().execute().rounds().get(0).failures()).isEmpty();
        var big = new Scripted(Map.of(), ins -> List.of(reply(ins, "evil", shift(ins, 33), 10)));
        assertThat(evilFailure(run(big, 1).build().execute().rounds().get(0)).reason())
                .startsWith("update norm 99.00 exceeds the bound 96.05");
        var off = new Scripted(Map.of(), ins -> List.of(reply(ins, "evil", shift(ins, 33), 10)));
        assertThat(run(off, 1)
                        .optReplyLimits(ReplyLimits.DEFAULT.withoutNormBound())
                        .build()
                        .execute()
                        .rounds()
                        .get(0)
                        .failures())
                .isEmpty();
        // a zero global: the floor (RMS 1 per element, 9 elements -> 3) times 10 bounds the update at 30
        ParamSet zero = Params.map(Params.small(), x -> 0);
        var fromZero = new Scripted(Map.of(), ins -> List.of(reply(ins, "evil", shift(ins, 9.9f), 10)));
        var rec = run(fromZero, 1).setInitial(zero).build().execute().rounds().get(0);
        assertThat(rec.failures()).isEmpty();
        var tooFar = new Scripted(Map.of(), ins -> List.of(reply(ins, "evil", shift(ins, 10.1f), 10)));
        assertThat(evilFailure(run(tooFar, 1)
                                .setInitial(zero)
                                .build()
                                .execute()
                                .rounds()
                                .get(0))
                        .reason())
                .contains("exceeds the bound 30.00");
    }

    @Test
    void aReplyMustAnswerItsOwnInstructionOnce() throws Exception {
        var t = new Scripted(Map.of(), ins -> List.of(new Reply("evil", 424242, shift(ins, 5), 10, Map.of(), null)));
        Run.Result r = run(t, 1).build().execute();
        assertThat(evilFailure(r.rounds().get(0)).reason())
                .isEqualTo("reply claims round 424242 but the instruction to evil is for round 1");
        assertThat(r.global()).isEqualTo(Params.map(Params.small(), x -> x + 1));

        var twice = new Scripted(
                Map.of(), ins -> List.of(reply(ins, "evil", shift(ins, 1), 10), reply(ins, "evil", shift(ins, 9), 10)));
        Run.Result r2 = run(twice, 1).build().execute();
        assertThat(evilFailure(r2.rounds().get(0)).reason()).isEqualTo("node evil already answered round 1");
        assertThat(r2.rounds().get(0).replies()).isEqualTo(3);
        assertThat(r2.global()).isEqualTo(Params.map(Params.small(), x -> x + 1));

        var stranger = new Scripted(Map.of(), ins -> List.of(reply(ins, "mallory", shift(ins, 9), 10)));
        RoundRecord rec = run(stranger, 1).build().execute().rounds().get(0);
        assertThat(rec.failures()).extracting(Failure::reason).contains("node mallory was not asked in this exchange");
    }

    @Test
    void hostileStringsAndMetricFloodsAreRefusedAndNeverReachAnySinkRaw() throws Exception {
        Map<String, Double> flood = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            flood.put("m" + i, (double) i);
        }
        var t = new Scripted(Map.of(), ins -> switch (ins.round()) {
            case 1 -> List.of(new Reply("evil", 1, shift(ins, 1), 10, flood, null));
            case 2 -> List.of(new Reply("evil", 2, shift(ins, 1), 10, Map.of("x\n\u001b[31mINFO forged", 1.0), null));
            default -> List.of(new Reply("evil", 3, shift(ins, 1), 10, Map.of("loss", Double.NaN), null));
        });
        RunDirectory dir = new RunDirectory(tmp.resolve("h"));
        Run.Result r = run(t, 3).optDirectory(dir).build().execute();
        assertThat(evilFailure(r.rounds().get(0)).reason())
                .isEqualTo("reply carries 10000 metrics, at most 64 allowed");
        assertThat(evilFailure(r.rounds().get(1)).reason())
                .isEqualTo("metric name 'x\\n\\u001b[31mINFO forged' is not 1-64 characters of [A-Za-z0-9_.:-]");
        assertThat(evilFailure(r.rounds().get(2)).reason()).isEqualTo("metric 'loss' is NaN, not a finite number");
        assertThat(t.told).allSatisfy(s -> assertThat(s).doesNotContain("\n", "\u001b"));
        assertThat(r.rounds()).allSatisfy(rec -> assertThat(rec.fit()).containsOnlyKeys("loss"));
        List<String> lines = Files.readAllLines(dir.metricsFile());
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l).hasSizeLessThan(2000));
    }

    @Test
    void aNodesOwnErrorTextIsSanitisedBeforeAnySink() throws Exception {
        String forged = "oops\n2026-12-01 INFO coordinator: round 1 aggregated \u001b[2J" + "A".repeat(1 << 20);
        var t = new Scripted(Map.of(), ins -> List.of()) {
            @Override
            public void sendAndReceive(List<Instruction> instructions, ReplySink sink, Duration deadline) {
                super.sendAndReceive(instructions, sink, deadline);
                sink.onFailure(new Failure("evil", Failure.Kind.ERROR, forged));
            }
        };
        RunDirectory dir = new RunDirectory(tmp.resolve("e"));
        RoundRecord rec = run(t, 1).optDirectory(dir).build().execute().rounds().get(0);
        Failure f = rec.failures().get(0);
        assertThat(f.reason())
                .startsWith("oops\\n2026-12-01 INFO coordinator: round 1 aggregated \\u001b[2J")
                .endsWith("(cut from " + forged.length() + " chars)")
                .doesNotContain("\n", "\u001b")
                .hasSizeLessThanOrEqualTo(540);
        assertThat(Files.size(dir.metricsFile())).isLessThan(2000);
        assertThat(RoundRecordCodec.fromJson(
                                Files.readAllLines(dir.metricsFile()).get(0))
                        .failures())
                .containsExactly(f);
    }
}
