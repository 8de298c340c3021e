package dev.atelier.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiscreteGaussianSamplerTest {

    /** Histogram against the exact pmf exp(-x^2/(2 s2)) / Z (Canonne, Kamath, Steinke 2020, Def. 1). */
    @ParameterizedTest
    @CsvSource({"0.3, 11", "4, 12", "2.5, 13", "100, 14"})
    void matchesTheExactPmf(double sigma2, int seed) {
        DiscreteGaussianSampler s = new DiscreteGaussianSampler(sigma2, GaussianSamplerTest.seeded(seed));
        int n = 20_000;
        int k = (int) Math.ceil(3 * Math.sqrt(sigma2)) + 1; // bins -k..k, tails pooled into the ends
        double z = 0;
        int far = (int) Math.ceil(40 * Math.sqrt(sigma2)) + 40;
        for (int x = -far; x <= far; x++) {
            z += Math.exp(-x * (double) x / (2 * sigma2));
        }
        double[] p = new double[2 * k + 1];
        for (int x = -far; x <= far; x++) {
            int b = Math.max(-k, Math.min(k, x)) + k;
            p[b] += Math.exp(-x * (double) x / (2 * sigma2)) / z;
        }
        double exactVar = 0;
        for (int x = -far; x <= far; x++) {
            exactVar += x * (double) x * Math.exp(-x * (double) x / (2 * sigma2)) / z;
        }
        long[] counts = new long[2 * k + 1];
        double sum = 0;
        double sum2 = 0;
        for (int i = 0; i < n; i++) {
            long x = s.next();
            sum += x;
            sum2 += (double) x * x;
            counts[(int) Math.max(-k, Math.min(k, x)) + k]++;
        }
        assertThat(ChiSquare.statistic(counts, p)).isLessThan(ChiSquare.critical(counts.length - 1));
        assertThat(sum / n).isCloseTo(0, within(4 * Math.sqrt(exactVar / n)));
        // Var of x^2 is at most 3 var^2 + var for these (sub-Gaussian); 5 sigma bound
        assertThat(sum2 / n).isCloseTo(exactVar, within(5 * Math.sqrt((3 * exactVar * exactVar + exactVar) / n)));
    }

    @Test
    void refusesNonPositiveVariance() {
        assertThatThrownBy(() -> new DiscreteGaussianSampler(0, GaussianSamplerTest.seeded(1)))
                .hasMessageContaining("sigma^2 must be finite and > 0");
        assertThat(new DiscreteGaussianSampler(2.25, GaussianSamplerTest.seeded(1)).sigmaSquared())
                .isEqualTo(2.25);
    }
}
