package dev.atelier.sketch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class InkDistributionTest {

    @Test
    void isPositionFreeAndBoundedByPixelL1() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Sketch 0: paper (1) with two grey pixels (0); sketch 1: one black pixel (-1).
            float[] ref = new float[2 * 16];
            java.util.Arrays.fill(ref, 1f);
            ref[3] = 0f;
            ref[9] = 0f;
            ref[16 + 5] = -1f;
            // The same grey levels at other places: no ink-distribution loss, but a pixel L1.
            float[] moved = new float[2 * 16];
            java.util.Arrays.fill(moved, 1f);
            moved[12] = 0f;
            moved[0] = 0f;
            moved[16 + 15] = -1f;
            NDArray r = m.create(ref, new Shape(2, 1, 4, 4));
            NDArray g = m.create(moved, new Shape(2, 1, 4, 4));
            assertThat(SketchLosses.inkDistribution(g, r).getFloat()).isCloseTo(0f, within(1e-7f));
            assertThat(SketchLosses.l1(g, r).getFloat()).isCloseTo(8f / 32, within(1e-6f));
            // Blank paper against the reference: grey pixels cost 1 each, the black one 2, over 32 pixels.
            NDArray blank = m.ones(new Shape(2, 1, 4, 4));
            assertThat(SketchLosses.inkDistribution(blank, r).getFloat()).isCloseTo(4f / 32, within(1e-6f));
            NDArray noise = m.randomUniform(-1f, 1f, new Shape(2, 1, 4, 4));
            assertThat(SketchLosses.inkDistribution(noise, r).getFloat())
                    .isLessThanOrEqualTo(SketchLosses.l1(noise, r).getFloat() + 1e-6f);
            assertThatThrownBy(() -> SketchLosses.inkDistribution(blank, m.ones(new Shape(2, 1, 2, 8))))
                    .hasMessageContaining("equal shapes");
        }
    }

    @Test
    void gradientStepsOnItMatchTheGreyLevels() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Target: a quarter of the pixels mid-grey (0), the rest paper; start from uniform paper-ish noise.
            float[] t = new float[64];
            java.util.Arrays.fill(t, 1f);
            for (int i = 0; i < 16; i++) {
                t[i * 4] = 0f;
            }
            NDArray target = m.create(t, new Shape(1, 1, 8, 8));
            NDArray x = m.randomUniform(0.8f, 1f, new Shape(1, 1, 8, 8));
            x.setRequiresGradient(true);
            double before = SketchLosses.inkDistribution(x, target).getFloat();
            for (int step = 0; step < 200; step++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(SketchLosses.inkDistribution(x, target));
                }
                NDArray grad = x.getGradient();
                x.subi(grad.mul(2f));
                grad.subi(grad); // the engine accumulates gradients across collectors
            }
            double after = SketchLosses.inkDistribution(x, target).getFloat();
            assertThat(before).isGreaterThan(0.2);
            assertThat(after).isLessThan(before / 10);
            // The 16 darkest pixels went grey (near 0), the others stayed paper.
            float[] v = x.toFloatArray();
            java.util.Arrays.sort(v);
            assertThat(v[15]).isLessThan(0.2f);
            assertThat(v[16]).isGreaterThan(0.8f);
        }
    }
}
