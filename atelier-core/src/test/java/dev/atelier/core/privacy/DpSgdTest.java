package dev.atelier.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DpSgdTest {
    @Test
    void clipsEachExampleThenAveragesOverTheExpectedBatch() {
        float[][] g = {{3, 4}, {0.3f, 0.4f}}; // norms 5 and 0.5
        float[] out = DpSgd.noisyGradient(g, 2, 1.0, 0, 4, new GaussianSampler(GaussianSamplerTest.seeded(1)));
        // (0.6, 0.8) + (0.3, 0.4), divided by 4
        assertThat(out[0]).isCloseTo(0.9f / 4, within(1e-6f));
        assertThat(out[1]).isCloseTo(1.2f / 4, within(1e-6f));
        assertThat(g[0]).containsExactly(3, 4); // input untouched
    }

    @Test
    void noiseHasStddevZCOverTheExpectedBatch() {
        int d = 100_000;
        float[] out = DpSgd.noisyGradient(
                new float[0][], d, 0.5, 2.0, 10, new GaussianSampler(GaussianSamplerTest.seeded(2)));
        double s2 = 0;
        for (float x : out) {
            s2 += (double) x * x;
        }
        // empty Poisson batch: pure noise of stddev z C / (q N) = 2 * 0.5 / 10
        assertThat(Math.sqrt(s2 / d)).isCloseTo(0.1, within(0.002));
        assertThatThrownBy(() -> DpSgd.noisyGradient(new float[][] {{1}}, 2, 1, 1, 1, GaussianSampler.secure()))
                .hasMessageContaining("expected 2");
    }
}
