package dev.atelier.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.testing.Params;
import dev.atelier.core.testing.Workloads;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.workload.Node;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluate phase over the in-process transport: what is sent, what is averaged, what is recorded. */
class FederatedEvaluationTest {
    @TempDir
    Path tmp;

    @Test
    void everySecondRoundNodesEvaluateTheNewGlobalModelAndMetricsAreExampleWeighted() throws Exception {
        Workloads.Recording a = new Workloads.Recording(Workloads.evaluating(Workloads.shift(1, 1), 10, 0.5));
        Workloads.Recording b = new Workloads.Recording(Workloads.evaluating(Workloads.shift(3, 1), 30, 0.9));
        RunDirectory dir = new RunDirectory(tmp.resolve("fe"));
        Run.Result r = Run.builder()
                .setConfig(RunConfig.of("fe", 4, 3).withEvaluateEvery(2))
                .setStrategy(new FedAvg(Sampling.all(2), Config.empty()))
                .setTransport(new InProcessTransport(List.of(new Node("a", a), new Node("b", b))))
                .setInitial(Params.small())
                .optDirectory(dir)
                .build()
                .execute();

        assertThat(r.rounds())
                .extracting(rec -> rec.federatedEval().isPresent())
                .containsExactly(false, true, false, true);
        FederatedEvaluation fe = r.rounds().get(1).federatedEval().orElseThrow();
        assertThat(fe.sampled()).isEqualTo(2);
        assertThat(fe.replies()).isEqualTo(2);
        assertThat(fe.examples()).isEqualTo(40);
        assertThat(fe.failures()).isEmpty();
        // (10 * 0.5 + 30 * 0.9) / 40
        assertThat(fe.metrics().get("loss")).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-12));

        // Each node got TRAIN every round and EVALUATE after rounds 2 and 4, carrying the global
        // model of that round after aggregation (+2 per round).
        for (Workloads.Recording w : List.of(a, b)) {
            assertThat(w.seen())
                    .extracting(Instruction::kind)
                    .containsExactly(
                            TaskKind.TRAIN,
                            TaskKind.TRAIN,
                            TaskKind.EVALUATE,
                            TaskKind.TRAIN,
                            TaskKind.TRAIN,
                            TaskKind.EVALUATE);
            Instruction eval2 = w.seen().get(2);
            assertThat(eval2.round()).isEqualTo(2);
            assertThat(eval2.params()).isEqualTo(Params.map(Params.small(), x -> x + 4));
        }
        double meanAfter4 = mean(Params.map(Params.small(), x -> x + 8));
        assertThat(r.rounds().get(3).federatedEval().orElseThrow().metrics().get("mean_w"))
                .isCloseTo(meanAfter4, org.assertj.core.data.Offset.offset(1e-6));

        List<RoundRecord> lines = dir.readMetrics();
        assertThat(lines.get(0).federatedEval()).isEmpty();
        FederatedEvaluation line2 = lines.get(1).federatedEval().orElseThrow();
        assertThat(line2.sampled()).isEqualTo(2);
        assertThat(line2.replies()).isEqualTo(2);
        assertThat(line2.examples()).isEqualTo(40);
        assertThat(line2.metrics().get("loss")).isEqualTo(0.8);
        // the file itself: snake_case keys, null when the phase did not run
        List<String> raw = java.nio.file.Files.readAllLines(dir.metricsFile());
        assertThat(raw.get(0)).contains("\"federated_eval\":null");
        assertThat(raw.get(1)).contains("\"federated_eval\":{\"sampled\":2");
    }

    private static double mean(ParamSet p) {
        float[] v = p.asMap().values().iterator().next().toFloats();
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    @Test
    void evaluateFailuresAreRecordedAndDoNotTouchTheModel() throws Exception {
        List<Node> nodes = List.of(
                new Node("good", Workloads.evaluating(Workloads.shift(1, 1), 5, 0.25)),
                // trains fine but returns parameters (and 1 example) when asked to evaluate
                new Node("chatty", Workloads.shift(1, 1)),
                new Node("nodata", Workloads.evaluating(Workloads.shift(1, 1), 0, 0.1)));
        Run.Result r = Run.builder()
                .setConfig(RunConfig.of("fe-bad", 1, 3).withEvaluateEvery(1))
                .setStrategy(new FedAvg(Sampling.all(3), Config.empty()))
                .setTransport(new InProcessTransport(nodes))
                .setInitial(Params.small())
                .build()
                .execute();
        RoundRecord rec = r.rounds().get(0);
        assertThat(rec.aggregated()).isTrue();
        assertThat(r.global()).isEqualTo(Params.map(Params.small(), x -> x + 1));
        FederatedEvaluation fe = rec.federatedEval().orElseThrow();
        assertThat(fe.replies()).isEqualTo(1);
        assertThat(fe.metrics()).containsEntry("loss", 0.25);
        Map<String, Failure> byNode =
                fe.failures().stream().collect(java.util.stream.Collectors.toMap(Failure::nodeId, f -> f));
        assertThat(byNode).containsOnlyKeys("chatty", "nodata");
        assertThat(byNode.get("chatty").kind()).isEqualTo(Failure.Kind.REJECTED);
        assertThat(byNode.get("chatty").reason()).contains("metrics only");
        assertThat(byNode.get("nodata").reason()).contains("0 examples");
    }

    @Test
    void offByDefaultAndSkippedWhenTheRoundKeptTheModel() throws Exception {
        Workloads.Recording a = new Workloads.Recording(Workloads.evaluating(Workloads.shift(1, 1), 5, 0.25));
        Run.builder()
                .setConfig(RunConfig.of("fe-off", 2, 3))
                .setStrategy(new FedAvg(Sampling.all(1), Config.empty()))
                .setTransport(new InProcessTransport(List.of(new Node("a", a))))
                .setInitial(Params.small())
                .build()
                .execute();
        assertThat(a.seen()).extracting(Instruction::kind).containsOnly(TaskKind.TRAIN);

        Workloads.Recording failing = new Workloads.Recording(Workloads.failing("no data"));
        Run.Result kept = Run.builder()
                .setConfig(RunConfig.of("fe-kept", 1, 3).withEvaluateEvery(1))
                .setStrategy(new FedAvg(Sampling.all(1), Config.empty()))
                .setTransport(new InProcessTransport(List.of(new Node("a", failing))))
                .setInitial(Params.small())
                .build()
                .execute();
        assertThat(kept.rounds().get(0).aggregated()).isFalse();
        assertThat(kept.rounds().get(0).federatedEval()).isEmpty();
        assertThat(failing.seen()).hasSize(1);
    }
}
