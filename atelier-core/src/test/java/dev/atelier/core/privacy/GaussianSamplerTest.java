package dev.atelier.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GaussianSamplerTest {
    static RandomBits seeded(int s) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) s);
        return new AesCtrPrg(seed);
    }

    @Test
    void momentsAndHistogramMatchTheStandardNormal() {
        GaussianSampler g = new GaussianSampler(seeded(7));
        int n = 200_000;
        double[] edges = {-3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3};
        long[] counts = new long[edges.length + 1];
        double sum = 0;
        double sum2 = 0;
        double sum4 = 0;
        for (int i = 0; i < n; i++) {
            double x = g.next();
            sum += x;
            sum2 += x * x;
            sum4 += x * x * x * x;
            int b = 0;
            while (b < edges.length && x >= edges[b]) {
                b++;
            }
            counts[b]++;
        }
        double mean = sum / n;
        double var = sum2 / n - mean * mean;
        assertThat(mean).isCloseTo(0, within(4 / Math.sqrt(n)));
        assertThat(var).isCloseTo(1, within(4 * Math.sqrt(2.0 / n)));
        assertThat(sum4 / n).isCloseTo(3, within(4 * Math.sqrt(96.0 / n))); // Var(x^4) = 105 - 9
        double[] p = new double[counts.length];
        double prev = 0;
        for (int b = 0; b < edges.length; b++) {
            double cdf = Math.exp(LogMath.logErfc(-edges[b] / Math.sqrt(2))) / 2;
            p[b] = cdf - prev;
            prev = cdf;
        }
        p[edges.length] = 1 - prev;
        assertThat(ChiSquare.statistic(counts, p)).isLessThan(ChiSquare.critical(counts.length - 1));
    }

    @Test
    void sameBitsSameNoiseOtherBitsOtherNoise() {
        GaussianSampler a = new GaussianSampler(seeded(1));
        GaussianSampler b = new GaussianSampler(seeded(1));
        GaussianSampler c = new GaussianSampler(seeded(2));
        double[] xa = new double[10];
        double[] xb = new double[10];
        double[] xc = new double[10];
        for (int i = 0; i < 10; i++) {
            xa[i] = a.next(2.5);
            xb[i] = b.next(2.5);
            xc[i] = c.next(2.5);
        }
        assertThat(xa).containsExactly(xb);
        assertThat(xa).isNotEqualTo(xc);
        assertThatThrownBy(() -> a.next(-1)).hasMessageContaining("stddev");
    }

    @Test
    void secureSamplerDrawsFromTheDrbg() {
        GaussianSampler s = GaussianSampler.secure();
        double x = s.next();
        double y = s.next();
        assertThat(x).isNotEqualTo(y).isFinite();
    }
}
