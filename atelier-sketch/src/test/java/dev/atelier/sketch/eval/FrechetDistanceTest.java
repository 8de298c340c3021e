package dev.atelier.sketch.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    static float[][] gaussian(int n, int d, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                // correlated features, like a CNN embedding: each mixes its own and its neighbour's noise
                row[j] = (float) (scale * r.nextGaussian());
            }
            for (int j = d - 1; j > 0; j--) {
                row[j] += 0.5f * row[j - 1];
            }
        }
        return x;
    }

    @Test
    void oneDimensionalClosedForm() {
        // d² = (μ₁ − μ₂)² + (σ₁ − σ₂)² for 1-d Gaussians
        GaussianFit a = new GaussianFit(new double[] {1}, new double[][] {{4}});
        GaussianFit b = new GaussianFit(new double[] {-2}, new double[][] {{9}});
        assertThat(FrechetDistance.between(a, b)).isCloseTo(9 + 1, within(1e-12));
    }

    @Test
    void diagonalCovariancesClosedForm() {
        GaussianFit a = new GaussianFit(new double[] {0, 0, 0}, new double[][] {{1, 0, 0}, {0, 4, 0}, {0, 0, 0}});
        GaussianFit b = new GaussianFit(new double[] {1, 2, 0}, new double[][] {{9, 0, 0}, {0, 4, 0}, {0, 0, 16}});
        // ||Δμ||² = 5; Σ (√a − √b)² = 4 + 0 + 16
        assertThat(FrechetDistance.between(a, b)).isCloseTo(25, within(1e-12));
        assertThat(FrechetDistance.between(b, a)).isCloseTo(25, within(1e-12));
    }

    @Test
    void nonCommutingCovariancesMatchAHandComputedSqrt() {
        // Σ₁ = I ⇒ tr((Σ₁Σ₂)^{1/2}) = tr(Σ₂^{1/2}); Σ₂ = [[2,1],[1,2]] has eigenvalues 3, 1
        GaussianFit a = new GaussianFit(new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}});
        GaussianFit b = new GaussianFit(new double[] {0, 0}, new double[][] {{2, 1}, {1, 2}});
        double expected = 2 + 4 - 2 * (Math.sqrt(3) + 1);
        assertThat(FrechetDistance.between(a, b)).isCloseTo(expected, within(1e-12));
        // Σ₁ = [[2,1],[1,2]], Σ₂ = diag(1, 4): tr sqrt(Σ₁Σ₂) = √(λ₁) + √(λ₂) with λ the eigenvalues of
        // Σ₁Σ₂ = [[2,4],[1,8]]: trace 10, det 12 ⇒ λ = 5 ± √13
        GaussianFit c = new GaussianFit(new double[] {0, 0}, new double[][] {{1, 0}, {0, 4}});
        double tr = Math.sqrt(5 + Math.sqrt(13)) + Math.sqrt(5 - Math.sqrt(13));
        assertThat(FrechetDistance.between(b, c)).isCloseTo(4 + 5 - 2 * tr, within(1e-12));
        assertThat(FrechetDistance.between(c, b)).isCloseTo(4 + 5 - 2 * tr, within(1e-12));
    }

    @Test
    void identicalSetsScoreZeroIn128Dimensions() {
        float[][] x = gaussian(200, 128, 1.0, 1);
        double d = FrechetDistance.between(x, x);
        // the trace terms are ~160 each; what remains is round-off
        assertThat(Math.abs(d)).isLessThan(1e-8);
    }

    @Test
    void shiftedSetScoresTheSquaredShift() {
        float[][] x = gaussian(300, 128, 1.0, 2);
        float[][] y = new float[x.length][128];
        double shift2 = 0;
        float[] delta = new float[128];
        for (int j = 0; j < 128; j++) {
            delta[j] = (float) (0.1 * Math.sin(j));
            shift2 += (double) delta[j] * delta[j];
        }
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 128; j++) {
                y[i][j] = x[i][j] + delta[j];
            }
        }
        // same covariance: only the mean term remains (float storage of y limits the precision)
        assertThat(FrechetDistance.between(x, y)).isCloseTo(shift2, within(1e-4 * shift2));
    }

    @Test
    void independentSamplesOfOneDistributionScoreFarBelowADifferentOne() {
        float[][] x = gaussian(400, 16, 1.0, 3);
        float[][] same = gaussian(400, 16, 1.0, 4);
        float[][] wider = gaussian(400, 16, 1.5, 5);
        double dSame = FrechetDistance.between(x, same);
        double dWider = FrechetDistance.between(x, wider);
        assertThat(dSame).isPositive().isLessThan(0.1 * dWider);
    }

    @Test
    void preparedReferenceEqualsDirectComputation() {
        float[][] x = gaussian(150, 32, 1.0, 6);
        float[][] y = gaussian(150, 32, 1.2, 7);
        FrechetDistance.Reference ref = new FrechetDistance.Reference(GaussianFit.of(x));
        assertThat(ref.distanceTo(GaussianFit.of(y))).isCloseTo(FrechetDistance.between(x, y), within(1e-12));
        // and the distance is symmetric up to round-off
        assertThat(FrechetDistance.between(y, x)).isCloseTo(FrechetDistance.between(x, y), within(1e-9));
    }

    @Test
    void gaussianFitUsesTheUnbiasedCovariance() {
        GaussianFit f = GaussianFit.of(new float[][] {{1, 2}, {3, 2}, {5, 8}});
        assertThat(f.mean()).containsExactly(3, 4);
        // deviations (-2,-2), (0,-2), (2,4): Σ xxᵀ = [[8, 12], [12, 24]] / (n−1 = 2)
        assertThat(f.covariance()[0]).containsExactly(4, 6);
        assertThat(f.covariance()[1]).containsExactly(6, 12);
        assertThat(f.trace()).isEqualTo(16);
    }
}
