package dev.atelier.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PortableRandomTest {

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.3, 1.0, 2.5, 20.0})
    void gammaHasMeanAndVarianceEqualToItsShape(double shape) {
        SplittableRandom rng = new SplittableRandom(11);
        double[] m = moments(200_000, () -> PortableRandom.gamma(shape, rng));
        double mean = m[0];
        double variance = m[1] - mean * mean;

        assertThat(mean).isCloseTo(shape, within(0.03 * shape + 0.002));
        assertThat(variance).isCloseTo(shape, within(0.08 * shape + 0.002));
    }

    @Test
    void gaussianIsStandardNormal() {
        SplittableRandom rng = new SplittableRandom(5);
        double[] m = moments(200_000, () -> PortableRandom.gaussian(rng));
        assertThat(m[0]).isCloseTo(0, within(0.01));
        assertThat(m[1]).isCloseTo(1, within(0.02));
    }

    @Property(tries = 300)
    void dirichletIsAProbabilityVectorEvenForTinyAlpha(
            @ForAll @DoubleRange(min = -4, max = 2) double log10Alpha,
            @ForAll @IntRange(min = 1, max = 50) int k,
            @ForAll long seed) {
        double alpha = Math.pow(10, log10Alpha);
        double[] a = new double[k];
        Arrays.fill(a, alpha);

        double[] p = PortableRandom.dirichlet(a, new SplittableRandom(seed));

        assertThat(Arrays.stream(p).allMatch(v -> v >= 0 && v <= 1)).isTrue();
        assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void dirichletMeanIsProportionalToAlpha() {
        SplittableRandom rng = new SplittableRandom(3);
        double[] alpha = {1, 2, 7};
        double[] mean = new double[3];
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            double[] p = PortableRandom.dirichlet(alpha, rng);
            for (int j = 0; j < 3; j++) {
                mean[j] += p[j] / n;
            }
        }
        assertThat(mean[0]).isCloseTo(0.1, within(0.005));
        assertThat(mean[1]).isCloseTo(0.2, within(0.005));
        assertThat(mean[2]).isCloseTo(0.7, within(0.005));
    }

    @Test
    void permutationIsDeterministicPerSeed() {
        int[] a = PortableRandom.permutation(100, new SplittableRandom(1));
        int[] b = PortableRandom.permutation(100, new SplittableRandom(1));
        int[] c = PortableRandom.permutation(100, new SplittableRandom(2));

        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(Arrays.stream(a).sorted().toArray())
                .isEqualTo(java.util.stream.IntStream.range(0, 100).toArray());
    }

    @Test
    void symmetricDirichletConcentratesMassForSmallAlpha() {
        // Merged from the former sketch Dirichlet sampler's test: Dirichlet(0.3) over 10 categories.
        SplittableRandom rng = new SplittableRandom(2);
        double meanMax = 0;
        double meanFirst = 0;
        int n = 4000;
        for (int i = 0; i < n; i++) {
            double[] p = PortableRandom.dirichlet(0.3, 10, rng);
            assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, within(1e-12));
            meanMax += Arrays.stream(p).max().orElseThrow() / n;
            meanFirst += p[0] / n;
        }
        assertThat(meanFirst).isCloseTo(0.1, within(0.01)); // symmetric: E[p_c] = 1/k
        assertThat(meanMax).isBetween(0.45, 0.6); // alpha 0.3 → one dominant category
    }

    @Test
    void symmetricDirichletIsTheVectorFormAndDeterministicPerSeed() {
        double[] a = new double[10];
        Arrays.fill(a, 0.3);
        assertThat(PortableRandom.dirichlet(0.3, 10, new SplittableRandom(5)))
                .isEqualTo(PortableRandom.dirichlet(a, new SplittableRandom(5)))
                .isEqualTo(PortableRandom.dirichlet(0.3, 10, new SplittableRandom(5)))
                .isNotEqualTo(PortableRandom.dirichlet(0.3, 10, new SplittableRandom(6)));
        assertThatThrownBy(() -> PortableRandom.dirichlet(0.3, 0, new SplittableRandom(1)))
                .hasMessageContaining("k >= 1");
        assertThatThrownBy(() -> PortableRandom.dirichlet(0, 3, new SplittableRandom(1)))
                .hasMessageContaining("positive finite");
    }

    /** {@code {mean, mean of squares}} of {@code n} draws. */
    private static double[] moments(int n, DoubleSupplier draw) {
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double x = draw.getAsDouble();
            sum += x;
            sumSq += x * x;
        }
        return new double[] {sum / n, sumSq / n};
    }
}
