package dev.atelier.sketch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.atelier.core.params.ParamSet;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProximalTermTest {

    @Test
    void isZeroAtTheAnchorAndHalfMuTimesSquaredDriftAway() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            p.setArray(m.create(new float[] {1, 2, 3}));
            ParamSet global = ParamSet.builder().putF32("disc.w", new long[] {3}, new float[] {1, 2, 3}).build();
            try (ProximalTerm term = new ProximalTerm(Map.of("disc.w", p), global, m); NDManager step = m.newSubManager()) {
                NDArray anchorRef = step.zeros(new Shape(1));
                assertThat(term.compute(0.5f, anchorRef).getFloat()).isZero();
                p.getArray().set(new float[] {2, 2, 1});
                assertThat(term.squaredDistance()).isCloseTo(1 + 4, within(1e-6));
                assertThat(term.compute(0.5f, anchorRef).getFloat()).isCloseTo(0.25f * 5, within(1e-6f));
            }
        }
    }

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
            assertThat(withMu.get(0).prox()).as("no drift before the first update").isZero();
            assertThat(withMu.get(1).prox()).isPositive();
            assertThat(withMu.get(2).prox()).isGreaterThan(withMu.get(1).prox());
            assertThat(withoutMu).allMatch(m -> m.prox() == 0);
        }
    }
}
