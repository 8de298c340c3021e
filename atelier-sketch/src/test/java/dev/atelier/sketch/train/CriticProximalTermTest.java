package dev.atelier.sketch.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.params.ParamSet;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FedProx's term in the sketch trainer (the term itself: atelier-ml's ProximalTermTest). */
class CriticProximalTermTest {

    @Test
    void isReportedNonZeroOnceLocalCriticStepsDrift() {
        ParamSet global = SketchGan.initialSharedDiscriminator(4, SketchGanConfig.defaults(), 1);
        TrainerSettings s = TrainerSettings.defaults(2).withBatchSize(4);
        try (SketchTrainer prox = SketchTrainerTest.trainer(SketchTrainerTest.DATA, s);
                SketchTrainer plain = SketchTrainerTest.trainer(SketchTrainerTest.DATA, s)) {
            List<StepMetrics> withMu = new ArrayList<>();
            prox.trainSteps(3, global, 1f, withMu::add);
            List<StepMetrics> withoutMu = new ArrayList<>();
            plain.trainSteps(3, global, 0f, withoutMu::add);
            assertThat(withMu.get(0).prox())
                    .as("no drift before the first update")
                    .isZero();
            assertThat(withMu.get(1).prox()).isPositive();
            assertThat(withMu.get(2).prox()).isGreaterThan(withMu.get(1).prox());
            assertThat(withoutMu).allMatch(m -> m.prox() == 0);
        }
    }
}
