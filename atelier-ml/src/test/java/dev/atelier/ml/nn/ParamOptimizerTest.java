package dev.atelier.ml.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamOptimizerTest {
    private static final float LR = 0.1f;
    private static final float FINAL = 0.001f;

    /** The cosine formula, in double precision. */
    private static double cosineAt(int t, int steps) {
        return t >= steps ? FINAL : FINAL + (LR - FINAL) * (1 + Math.cos(Math.PI * t / steps)) / 2;
    }

    @Test
    void cosineStartsAtTheRateReachesTheMidpointHalfWayAndEndsAtTheFinalRate() {
        Tracker t = ParamOptimizer.cosine(LR, FINAL, 8);
        assertThat(t.getNewValue(0)).isCloseTo(LR, within(1e-7f));
        assertThat(t.getNewValue(2)).isCloseTo((float) cosineAt(2, 8), within(1e-7f));
        assertThat(t.getNewValue(4)).isCloseTo((LR + FINAL) / 2, within(1e-7f));
        assertThat(t.getNewValue(6)).isCloseTo((float) cosineAt(6, 8), within(1e-7f));
        assertThat(t.getNewValue(8)).isCloseTo(FINAL, within(1e-7f));
        assertThat(t.getNewValue(9)).isEqualTo(FINAL);
        assertThat(t.getNewValue(1_000)).isEqualTo(FINAL);
        for (int u = 1; u <= 8; u++) {
            assertThat(t.getNewValue(u)).as("decreasing at update %d", u).isLessThan(t.getNewValue(u - 1));
        }
        // a decay of 0 steps is one step long rather than a division by zero
        assertThat(ParamOptimizer.cosine(LR, FINAL, 0).getNewValue(1)).isEqualTo(FINAL);
    }

    /**
     * With a constant gradient, Adam's bias-corrected step is the learning rate itself (m̂ / √v̂ = 1),
     * so each update of a parameter shows the rate the schedule applied at that update.
     */
    @Test
    void adamCosineAppliesTheScheduleOneUpdateAtATime() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter p = Parameter.builder()
                    .setName("w")
                    .setType(Parameter.Type.WEIGHT)
                    .build();
            p.setArray(m.zeros(new Shape(1)));
            NDArray w = p.getArray();
            w.setRequiresGradient(true);
            ParamOptimizer opt = ParamOptimizer.adamCosine(Map.of("w", p), LR, FINAL, 4);
            float before = w.getFloat();
            for (int update = 1; update <= 6; update++) {
                opt.zeroGradients();
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(w.sum()); // gradient 1
                }
                opt.step();
                float after = w.getFloat();
                assertThat((double) (before - after))
                        .as("step of update %d", update)
                        .isCloseTo(cosineAt(update, 4), within(1e-6));
                before = after;
            }
        }
    }
}
