package dev.atelier.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SamplingTest {

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.3, 1.0, 2.5, 20.0})
    void gammaHasMeanAndVarianceEqualToItsShape(double shape) {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double g = Sampling.gamma(shape, rng);
            sum += g;
            sumSq += g * g;
        }
        double mean = sum / n;
        double variance = sumSq / n - mean * mean;

        assertThat(mean).isCloseTo(shape, within(0.03 * shape + 0.002));
        assertThat(variance).isCloseTo(shape, within(0.08 * shape + 0.002));
    }

    @Test
    void gaussianIsStandardNormal() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double z = Sampling.gaussian(rng);
            sum += z;
            sumSq += z * z;
        }
        assertThat(sum / n).isCloseTo(0, within(0.01));
        assertThat(sumSq / n).isCloseTo(1, within(0.02));
    }

    @Property(tries = 300)
    void dirichletIsAProbabilityVectorEvenForTinyAlpha(
            @ForAll @DoubleRange(min = -4, max = 2) double log10Alpha,
            @ForAll @IntRange(min = 1, max = 50) int k,
            @ForAll long seed) {
        double alpha = Math.pow(10, log10Alpha);
        double[] a = new double[k];
        Arrays.fill(a, alpha);

        double[] p = Sampling.dirichlet(a, new SplittableRandom(seed));

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
            double[] p = Sampling.dirichlet(alpha, rng);
            for (int j = 0; j < 3; j++) {
                mean[j] += p[j] / n;
            }
        }
        assertThat(mean[0]).isCloseTo(0.1, within(0.005));
        assertThat(mean[1]).isCloseTo(0.2, within(0.005));
        assertThat(mean[2]).isCloseTo(0.7, within(0.005));
    }

    @Property(tries = 300)
    void apportionSumsToTheTotalAndStaysWithinOneOfTheQuota(
            @ForAll @Size(min = 1, max = 20) double[] rawWeights, @ForAll @IntRange(min = 0, max = 100_000) int total) {
        double[] weights =
                Arrays.stream(rawWeights).map(w -> Math.abs(w) % 1000 + 0.001).toArray();
        double sum = Arrays.stream(weights).sum();

        int[] shares = Sampling.apportion(weights, total);

        assertThat(Arrays.stream(shares).sum()).isEqualTo(total);
        for (int i = 0; i < weights.length; i++) {
            assertThat((double) shares[i]).isCloseTo(weights[i] / sum * total, within(1.0 + 1e-6));
        }
    }

    @Test
    void permutationIsDeterministicPerSeed() {
        int[] a = Sampling.permutation(100, new SplittableRandom(1));
        int[] b = Sampling.permutation(100, new SplittableRandom(1));
        int[] c = Sampling.permutation(100, new SplittableRandom(2));

        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(Arrays.stream(a).sorted().toArray())
                .isEqualTo(java.util.stream.IntStream.range(0, 100).toArray());
    }
}
