package dev.atelier.sketch.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class KernelDistanceTest {

    @Test
    void unbiasedMmdByHand() {
        // d = 1, k(a,b) = (ab + 1)³; x = {0, 1}, y = {1, 2}
        // Kxx off-diagonal: k(0,1) = 1; Kyy: k(1,2) = 27; Kxy: 1, 1, 8, 27 → mean 9.25
        float[][] x = {{0}, {1}};
        float[][] y = {{1}, {2}};
        assertThat(KernelDistance.mmd2Unbiased(x, y)).isCloseTo(1 + 27 - 2 * 9.25, within(1e-12));
        assertThat(KernelDistance.kernel(new float[] {1, 2}, new float[] {3, 4}, 2))
                .isCloseTo(Math.pow(11 / 2.0 + 1, 3), within(1e-9));
    }

    @Test
    void selfComparisonHasTheKnownSmallNegativeValue() {
        float[][] x = FrechetDistanceTest.gaussian(100, 8, 1.0, 1);
        int n = x.length;
        double diag = 0;
        double off = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double k = KernelDistance.kernel(x[i], x[j], 8);
                if (i == j) {
                    diag += k / n;
                } else {
                    off += k / ((double) n * (n - 1));
                }
            }
        }
        assertThat(KernelDistance.mmd2Unbiased(x, x)).isCloseTo(-2 * (diag - off) / n, within(1e-9));
    }

    @Test
    void sameDistributionIsNearZeroAndADifferentOneIsNot() {
        float[][] x = FrechetDistanceTest.gaussian(300, 32, 1.0, 2);
        float[][] same = FrechetDistanceTest.gaussian(300, 32, 1.0, 3);
        float[][] wider = FrechetDistanceTest.gaussian(300, 32, 1.5, 4);
        double kSame = KernelDistance.kid(x, same);
        double kWider = KernelDistance.kid(x, wider);
        assertThat(kWider).isPositive();
        assertThat(Math.abs(kSame)).isLessThan(0.05 * kWider);
    }

    @Test
    void subsetsAverageEstimatesOfLargeSets() {
        float[][] x = FrechetDistanceTest.gaussian(600, 16, 1.0, 5);
        float[][] y = FrechetDistanceTest.gaussian(600, 16, 1.3, 6);
        double full = KernelDistance.mmd2Unbiased(x, y);
        // small enough sets: the subset path is not taken
        assertThat(KernelDistance.kid(x, y, 600, 10, 1)).isEqualTo(full);
        double sub = KernelDistance.kid(x, y, 200, 50, 1);
        // an unbiased estimator: the subset mean agrees with the full-set estimate within sampling noise
        assertThat(sub).isCloseTo(full, within(0.15 * full));
        assertThat(KernelDistance.kid(x, y, 200, 50, 1)).isEqualTo(sub);
    }
}
