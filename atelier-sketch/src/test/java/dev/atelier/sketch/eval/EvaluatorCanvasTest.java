package dev.atelier.sketch.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EvaluatorCanvasTest {
    @Test
    void anIntegerFactorIsABoxMeanAnd32PxIsUntouched() {
        SplittableRandom rng = new SplittableRandom(1);
        float[] big = new float[128 * 128];
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) rng.nextDouble();
        }
        float[] small = EvaluatorCanvas.toEvaluator(big);
        assertThat(small).hasSize(1024);
        for (int v = 0; v < 32; v += 7) {
            for (int u = 0; u < 32; u += 5) {
                double sum = 0;
                for (int y = 4 * v; y < 4 * v + 4; y++) {
                    for (int x = 4 * u; x < 4 * u + 4; x++) {
                        sum += big[y * 128 + x];
                    }
                }
                assertThat(small[v * 32 + u]).isCloseTo((float) (sum / 16), within(1e-5f));
            }
        }
        float[] same = new float[1024];
        assertThat(EvaluatorCanvas.toEvaluator(same)).isSameAs(same);
    }

    @Test
    void aNonIntegerFactorKeepsAConstantImageAndEveryCellFilled() {
        float[] grey = new float[40 * 40];
        java.util.Arrays.fill(grey, 0.25f);
        assertThat(EvaluatorCanvas.toEvaluator(grey)).containsOnly(0.25f);
        assertThatThrownBy(() -> EvaluatorCanvas.toEvaluator(new float[28 * 28]))
                .hasMessageContaining("at least");
        assertThatThrownBy(() -> EvaluatorCanvas.toEvaluator(new float[1000])).hasMessageContaining("square");
    }
}
