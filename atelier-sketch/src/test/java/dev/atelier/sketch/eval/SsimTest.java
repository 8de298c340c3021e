package dev.atelier.sketch.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SsimTest {

    private static float[] random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[1024];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        return x;
    }

    private static float[] constant(float v) {
        float[] x = new float[1024];
        Arrays.fill(x, v);
        return x;
    }

    @Test
    void identicalImagesScoreOne() {
        float[] x = random(1);
        assertThat(Ssim.of(x, x)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void constantImagesMatchTheHandComputedLuminanceTerm() {
        // σ = 0 everywhere, so SSIM = (2ab + C1) / (a² + b² + C1) · C2 / C2
        double a = 0.5;
        double b = 0.25;
        double expected = (2 * a * b + Ssim.C1) / (a * a + b * b + Ssim.C1);
        assertThat(Ssim.of(constant(0.5f), constant(0.25f))).isCloseTo(expected, within(1e-6));
        assertThat(expected).isCloseTo(0.25010 / 0.31260, within(1e-9));
    }

    @Test
    void isSymmetricAndNegativeForAnInvertedImage() {
        float[] x = random(2);
        float[] y = random(3);
        assertThat(Ssim.of(x, y)).isCloseTo(Ssim.of(y, x), within(1e-12));
        float[] inverted = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            inverted[i] = 1 - x[i];
        }
        // same mean ~0.5, perfectly anti-correlated structure
        assertThat(Ssim.of(x, inverted)).isLessThan(-0.9);
        assertThat(Ssim.of(x, y)).isBetween(-0.2, 0.2);
    }

    @Test
    void smallNoiseLowersTheScoreMonotonically() {
        float[] x = random(4);
        SplittableRandom r = new SplittableRandom(5);
        float[] small = x.clone();
        float[] large = x.clone();
        for (int i = 0; i < x.length; i++) {
            double n = r.nextGaussian();
            small[i] += (float) (0.02 * n);
            large[i] += (float) (0.2 * n);
        }
        double s = Ssim.of(x, small);
        double l = Ssim.of(x, large);
        assertThat(s).isLessThan(1).isGreaterThan(l);
    }

    @Test
    void windowIsANormalisedGaussian() {
        double[] k = Ssim.gaussian1d(Ssim.WINDOW, Ssim.SIGMA);
        assertThat(Arrays.stream(k).sum()).isCloseTo(1.0, within(1e-12));
        assertThat(k[3] / k[0]).isCloseTo(Math.exp(9 / (2 * 1.5 * 1.5)), within(1e-9));
    }

    @Test
    void meanAveragesPairsAndRejectsBadInput() {
        float[] x = random(6);
        float[] y = random(7);
        assertThat(Ssim.mean(List.of(x, x), List.of(x, y))).isCloseTo((1 + Ssim.of(x, y)) / 2, within(1e-12));
        assertThatThrownBy(() -> Ssim.of(x, new float[784])).hasMessageContaining("differ in size");
        assertThatThrownBy(() -> Ssim.mean(List.of(x), List.of(x, y))).hasMessageContaining("as many references");
        assertThatThrownBy(() -> Ssim.of(new float[10], new float[10])).hasMessageContaining("square");
    }
}
