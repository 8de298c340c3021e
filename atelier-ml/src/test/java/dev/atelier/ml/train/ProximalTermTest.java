package dev.atelier.ml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.atelier.core.params.ParamSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProximalTermTest {

    private static Parameter param(NDManager m, float... values) {
        Parameter p =
                Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
        p.setArray(m.create(values));
        p.getArray().setRequiresGradient(true);
        return p;
    }

    @Test
    void isZeroAtTheAnchorAndHalfMuTimesSquaredDriftAway() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = param(m, 1, 2, 3);
            ParamSet global = ParamSet.builder()
                    .putF32("disc.w", new long[] {3}, new float[] {1, 2, 3})
                    .build();
            try (ProximalTerm term = new ProximalTerm(Map.of("disc.w", p), global, m);
                    NDManager step = m.newSubManager()) {
                NDArray ref = step.zeros(new Shape(1));
                assertThat(term.compute(0.5f, ref).getFloat()).isZero();
                p.getArray().set(new float[] {2, 2, 1});
                assertThat(term.squaredDistance()).isCloseTo(1 + 4, within(1e-6));
                assertThat(term.compute(0.5f, ref).getFloat()).isCloseTo(0.25f * 5, within(1e-6f));
            }
        }
    }

    @Test
    void anchoredAtCurrentValuesPullsTheGradientBackTowardsThem() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = param(m, 1, -1);
            try (ProximalTerm term = ProximalTerm.atCurrentValues(Map.of("w", p), m);
                    NDManager step = m.newSubManager()) {
                p.getArray().set(new float[] {3, -2});
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(term.compute(2f, step.zeros(new Shape(1))));
                }
                // d/dθ (μ/2)‖θ − a‖² = μ(θ − a) = 2·(2, −1)
                assertThat(p.getArray().getGradient().toFloatArray()).containsExactly(4f, -2f);
            }
        }
    }

    @Test
    void rejectsAGlobalParameterTheModelDoesNotHave() {
        try (NDManager m = NDManager.newBaseManager()) {
            ParamSet global = ParamSet.builder()
                    .putF32("disc.other", new long[] {1}, new float[] {0})
                    .build();
            assertThatThrownBy(() -> new ProximalTerm(Map.of("disc.w", param(m, 1)), global, m))
                    .hasMessageContaining("disc.other");
        }
    }
}
