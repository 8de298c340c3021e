package dev.atelier.ml.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.RunListener;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.core.testing.RecordingSink;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.workload.Node;
import dev.atelier.ml.data.DataSplits;
import dev.atelier.ml.data.FashionMnist;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Classifier nodes as both transports build them, and their local steps under a round deadline. */
class ClassifierNodeTest {
    private static final DataSplits FIXTURE = FashionMnist.loadFixture().splits(100, 0);

    @Test
    void localStepsStopAtTheRoundDeadlineAndTheReplyIsATimeout() throws Exception {
        ParamSet initial = ClassifierWorkload.initialParameters(1);
        try (Node slow = ClassifierProvider.node(
                        "slow",
                        ClassifierWorkload.withHeldOut(
                                "slow", FIXTURE.privateTrain().subset(new int[] {0, 1, 2, 3}), 1));
                Node next = ClassifierProvider.node(
                        "next",
                        ClassifierWorkload.withHeldOut(
                                "next", FIXTURE.privateTrain().subset(new int[] {4, 5}), 2))) {
            assertThat(slow.middleware())
                    .as("every classifier parameter is shared")
                    .isEmpty();
            // 100 000 steps take many minutes; the 1.5 s deadline stops them between two steps.
            Config steps = Config.of(Map.of(TrainKeys.LOCAL_STEPS, 100_000, TrainKeys.BATCH_SIZE, 2));
            RecordingSink sink = new RecordingSink();
            long t0 = System.nanoTime();
            new InProcessTransport(List.of(slow, next))
                    .sendAndReceive(
                            List.of(
                                    Instruction.train("r", 1, "slow", steps, initial),
                                    Instruction.train("r", 1, "next", steps, initial)),
                            sink,
                            Duration.ofMillis(1500));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(seconds).isLessThan(30);
            assertThat(sink.replies).isEmpty();
            assertThat(sink.failures).extracting(Failure::nodeId).containsExactly("slow", "next");
            assertThat(sink.failures).extracting(Failure::kind).containsOnly(Failure.Kind.TIMEOUT);
            assertThat(sink.failures.get(0).reason()).startsWith("stopped early: round deadline of PT1.5S passed");
            assertThat(sink.failures.get(1).reason()).isEqualTo("round deadline of PT1.5S passed");
        }
    }

    @Test
    void simulationRunsTheProvidersNodes() throws Exception {
        List<RoundRecord> seen = new CopyOnWriteArrayList<>();
        var outcome = ClassifierSimulation.run(
                new ClassifierSimulation.Settings(2, "iid", 1, 3, 50),
                FIXTURE,
                new FedAvg(Sampling.all(2), Config.of(Map.of(TrainKeys.LOCAL_STEPS, 2, TrainKeys.BATCH_SIZE, 8))),
                null,
                new RunListener() {
                    @Override
                    public void onRoundEnd(RoundRecord record, int totalRounds, double etaSeconds) {
                        seen.add(record);
                    }
                });
        RoundRecord r = outcome.result().rounds().get(0);
        assertThat(seen).containsExactly(r);
        assertThat(r.replies()).isEqualTo(2);
        assertThat(r.failures()).isEmpty();
        assertThat(r.eval().get("test_accuracy")).isBetween(0.0, 1.0);
        assertThat(outcome.result().global().names())
                .containsExactlyElementsOf(
                        ClassifierWorkload.initialParameters(3).names());
        assertThat(outcome.result().global()).isNotEqualTo(ClassifierWorkload.initialParameters(3));
    }
}
