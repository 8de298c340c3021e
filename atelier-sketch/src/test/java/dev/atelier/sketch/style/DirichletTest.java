package dev.atelier.sketch.style;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DirichletTest {

    @Test
    void gammaHasTheRightMean() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (double shape : new double[] {0.3, 1.0, 4.5}) {
            double sum = 0;
            int n = 40_000;
            for (int i = 0; i < n; i++) {
                sum += Dirichlet.gamma(shape, rnd);
            }
            // Var = shape, so the standard error of the mean is sqrt(shape / n) ≤ 0.011.
            assertThat(sum / n).as("mean of Gamma(%s)", shape).isCloseTo(shape, within(0.05));
        }
    }

    @Test
    void samplesAreProbabilityVectorsWithExpectedConcentration() {
        SplittableRandom rnd = new SplittableRandom(2);
        double meanMax = 0;
        double meanFirst = 0;
        int n = 4000;
        for (int i = 0; i < n; i++) {
            double[] p = Dirichlet.sample(0.3, 10, rnd);
            double sum = 0;
            double max = 0;
            for (double v : p) {
                assertThat(v).isGreaterThanOrEqualTo(0);
                sum += v;
                max = Math.max(max, v);
            }
            assertThat(sum).isCloseTo(1.0, within(1e-12));
            meanMax += max / n;
            meanFirst += p[0] / n;
        }
        assertThat(meanFirst).isCloseTo(0.1, within(0.01)); // symmetric: E[p_c] = 1/k
        assertThat(meanMax).isBetween(0.45, 0.6); // alpha 0.3 → one dominant category
    }

    @Test
    void sameSeedSameSample() {
        assertThat(Dirichlet.sample(0.3, 10, new SplittableRandom(5)))
                .isEqualTo(Dirichlet.sample(0.3, 10, new SplittableRandom(5)));
    }
}
