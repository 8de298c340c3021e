package dev.atelier.sketch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InkDensityTest {

    /** A paper canvas of the given side with black dots (-1) at the given (x, y) pixels. */
    private static NDArray dots(NDManager m, int side, int... xy) {
        float[] v = new float[side * side];
        Arrays.fill(v, 1f);
        for (int i = 0; i < xy.length; i += 2) {
            v[xy[i + 1] * side + xy[i]] = -1f;
        }
        return m.create(v, new Shape(1, 1, side, side));
    }

    @Test
    void dotsMovedInsideTheirWindowCostNothingMovedAcrossOneTheyDo() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 32 px canvas: windows of 4 px, an 8 x 8 grid of means.
            NDArray ref = dots(m, 32, 0, 0, 9, 5);
            NDArray sameWindows = dots(m, 32, 3, 2, 10, 7);
            assertThat(SketchLosses.densityL1(sameWindows, ref).getFloat()).isCloseTo(0f, within(1e-7f));
            assertThat(SketchLosses.l1(sameWindows, ref).getFloat()).isCloseTo(8f / 1024, within(1e-6f));
            // One dot moved into the neighbouring window: two of 64 means differ by 2/16 each.
            NDArray otherWindow = dots(m, 32, 4, 0, 9, 5);
            assertThat(SketchLosses.densityL1(otherWindow, ref).getFloat())
                    .isCloseTo(2 * (2f / 16) / 64, within(1e-6f));
            // Blank paper against the reference: each dot's window mean is off by 2/16.
            NDArray blank = m.ones(new Shape(1, 1, 32, 32));
            assertThat(SketchLosses.densityL1(blank, ref).getFloat()).isCloseTo(2 * (2f / 16) / 64, within(1e-6f));
        }
    }

    @Test
    void windowsScaleWithTheCanvas() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 128 px: windows of 16 px, so a dot moved by 12 px inside its window costs nothing.
            NDArray ref = dots(m, 128, 1, 1);
            assertThat(SketchLosses.densityL1(dots(m, 128, 13, 14), ref).getFloat())
                    .isCloseTo(0f, within(1e-7f));
            assertThat(SketchLosses.densityL1(dots(m, 128, 17, 1), ref).getFloat())
                    .isCloseTo(2 * (2f / 256) / 64, within(1e-7f));
            // Canvases under 8 px fall back to pixel L1.
            NDArray a = m.randomUniform(-1f, 1f, new Shape(2, 1, 4, 4));
            NDArray b = m.randomUniform(-1f, 1f, new Shape(2, 1, 4, 4));
            assertThat(SketchLosses.densityL1(a, b).getFloat())
                    .isCloseTo(SketchLosses.l1(a, b).getFloat(), within(1e-6f));
        }
    }

    @Test
    void isBoundedByPixelL1AndRefusesUnequalShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomUniform(-1f, 1f, new Shape(3, 1, 32, 32));
            NDArray b = m.randomUniform(-1f, 1f, new Shape(3, 1, 32, 32));
            assertThat(SketchLosses.densityL1(a, b).getFloat())
                    .isGreaterThan(0f)
                    .isLessThanOrEqualTo(SketchLosses.l1(a, b).getFloat() + 1e-6f);
            assertThatThrownBy(() -> SketchLosses.densityL1(a, m.ones(new Shape(3, 1, 16, 64))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("equal shapes");
        }
    }
}
