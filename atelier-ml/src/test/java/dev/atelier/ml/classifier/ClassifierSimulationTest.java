package dev.atelier.ml.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Config;
import dev.atelier.core.run.RunListener;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.ml.data.FashionMnist;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulation's federated evaluation: every node scores the global model on its held-out tenth. */
class ClassifierSimulationTest {
    @Test
    void evaluateEveryRoundReportsHeldOutLossAndAccuracy() throws Exception {
        var splits = FashionMnist.loadFixture().splits(100, 0);
        var strategy =
                new FedAvg(Sampling.all(2), Config.of(Map.of(TrainKeys.LOCAL_STEPS, 2, TrainKeys.BATCH_SIZE, 8)));
        var outcome = ClassifierSimulation.run(
                new ClassifierSimulation.Settings(2, "iid", 2, 7, 50, 1), splits, strategy, null, RunListener.NONE);
        var rounds = outcome.result().rounds();
        assertThat(rounds).hasSize(2).allSatisfy(r -> {
            var fe = r.federatedEval().orElseThrow();
            assertThat(fe.replies()).isEqualTo(2);
            assertThat(fe.failures()).isEmpty();
            // iid halves of the 500 private images: 250 each, 25 held out each
            assertThat(fe.examples()).isEqualTo(50);
            assertThat(fe.metrics()).containsOnlyKeys("loss", "accuracy");
            assertThat(fe.metrics().get("accuracy")).isBetween(0.0, 1.0);
            assertThat(fe.metrics().get("loss")).isPositive();
        });
        assertThat(rounds.get(0).replies()).isEqualTo(2);

        var off = ClassifierSimulation.run(
                new ClassifierSimulation.Settings(2, "iid", 1, 7, 50), splits, strategy, null, RunListener.NONE);
        assertThat(off.result().rounds())
                .allSatisfy(r -> assertThat(r.federatedEval()).isEmpty());
    }
}
