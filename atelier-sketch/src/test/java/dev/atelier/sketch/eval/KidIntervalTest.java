package dev.atelier.sketch.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KidIntervalTest {
    private static float[][] gaussian(int n, int d, double shift, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] x = new float[n][d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) (rng.nextGaussian() + shift);
            }
        }
        return x;
    }

    @Test
    void thePointEstimateIsTheUnbiasedKid() {
        float[][] x = gaussian(30, 8, 0, 1);
        float[][] y = gaussian(30, 8, 0.5, 2);
        KidInterval.Estimate e = KidInterval.paired(x, y, 200, 0.95, 3);
        assertThat(e.kid()).isCloseTo(KernelDistance.mmd2Unbiased(x, y), within(1e-9));
        assertThat(e.resamples()).isEqualTo(200);
        assertThat(e.low()).isLessThan(e.high());
    }

    @Test
    void separatedSetsGetAnIntervalAboveZeroAndOneDistributionAnIntervalAroundIt() {
        KidInterval.Estimate far = KidInterval.paired(gaussian(40, 8, 0, 4), gaussian(40, 8, 1.0, 5));
        assertThat(far.low()).isGreaterThan(0);
        assertThat(far.kid()).isBetween(far.low(), far.high());
        KidInterval.Estimate same = KidInterval.paired(gaussian(40, 8, 0, 6), gaussian(40, 8, 0, 7));
        assertThat(same.low()).isLessThan(0);
        assertThat(same.high()).isGreaterThan(0);
        assertThat(same.high() - same.low()).isLessThan(far.kid());
    }

    @Test
    void moreDataNarrowsTheInterval() {
        KidInterval.Estimate small = KidInterval.paired(gaussian(20, 8, 0, 8), gaussian(20, 8, 0.7, 9));
        KidInterval.Estimate large = KidInterval.paired(gaussian(160, 8, 0, 8), gaussian(160, 8, 0.7, 9));
        assertThat(large.high() - large.low()).isLessThan(0.6 * (small.high() - small.low()));
    }

    @Test
    void reproducibleForASeedAndRejectsUnpairedSets() {
        float[][] x = gaussian(12, 4, 0, 10);
        float[][] y = gaussian(12, 4, 0.3, 11);
        assertThat(KidInterval.paired(x, y)).isEqualTo(KidInterval.paired(x, y));
        assertThatThrownBy(() -> KidInterval.paired(x, gaussian(11, 4, 0, 1))).hasMessageContaining("same size");
        assertThatThrownBy(() -> KidInterval.paired(x, y, 0, 0.95, 1)).hasMessageContaining("resamples");
    }

    @Test
    void quantileInterpolatesAndSkipsNaN() {
        double[] v = {0, 1, 2, 3, Double.NaN};
        assertThat(KidInterval.quantile(v, 0.5)).isEqualTo(1.5);
        assertThat(KidInterval.quantile(v, 0)).isEqualTo(0);
        assertThat(KidInterval.quantile(v, 1)).isEqualTo(3);
    }
}
