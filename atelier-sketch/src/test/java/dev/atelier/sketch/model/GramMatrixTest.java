package dev.atelier.sketch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class GramMatrixTest {

    @Test
    void gramIsNormalisedInnerProductOfChannels() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = {1, 2, 3, 4, /* c1 */ 0, 1, 0, 1};
            NDArray f = m.create(v, new Shape(1, 2, 2, 2));
            float[] g = GramMatrix.of(f).toFloatArray();
            float norm = 2 * 2 * 2;
            assertThat(g[0]).isCloseTo((1 + 4 + 9 + 16) / norm, within(1e-6f));
            assertThat(g[1]).isCloseTo((2 + 4) / norm, within(1e-6f));
            assertThat(g[2]).isEqualTo(g[1]);
            assertThat(g[3]).isCloseTo(2 / norm, within(1e-6f));
        }
    }

    @Test
    void resizePoolsLargeAndRepeatsSmallGrams() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray big = m.arange(0f, 16f).reshape(1, 4, 4);
            assertThat(GramMatrix.resize(big, 2).toFloatArray()).containsExactly(2.5f, 4.5f, 10.5f, 12.5f);
            NDArray small = m.arange(0f, 4f).reshape(1, 2, 2);
            NDArray up = GramMatrix.resize(small, 4);
            assertThat(up.getShape()).isEqualTo(new Shape(1, 1, 4, 4));
            assertThat(up.toFloatArray()[5]).isEqualTo(0f);
            assertThat(up.toFloatArray()[15]).isEqualTo(3f);
            assertThat(GramMatrix.compatible(new int[] {16, 32, 64, 128}, 32)).isTrue();
            assertThat(GramMatrix.compatible(new int[] {16, 48}, 32)).isFalse();
        }
    }
}
