package dev.atelier.sketch.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

    @Test
    void twoByTwoByHand() {
        double[] v = SymmetricEigen.eigenvalues(new double[][] {{2, 1}, {1, 2}});
        Arrays.sort(v);
        assertThat(v[0]).isCloseTo(1, within(1e-14));
        assertThat(v[1]).isCloseTo(3, within(1e-14));
    }

    @Test
    void sqrtOfKnownMatrix() {
        // [[2,1],[1,2]] = V diag(3,1) Vᵀ with V = [[1,1],[1,-1]]/√2, so sqrt = [[√3+1, √3−1],[√3−1, √3+1]]/2
        double[][] s = SymmetricEigen.sqrtPsd(new double[][] {{2, 1}, {1, 2}});
        double r3 = Math.sqrt(3);
        assertThat(s[0][0]).isCloseTo((r3 + 1) / 2, within(1e-14));
        assertThat(s[0][1]).isCloseTo((r3 - 1) / 2, within(1e-14));
        assertThat(s[1][0]).isCloseTo((r3 - 1) / 2, within(1e-14));
        assertThat(s[1][1]).isCloseTo((r3 + 1) / 2, within(1e-14));
        double[][] diag = SymmetricEigen.sqrtPsd(new double[][] {{4, 0, 0}, {0, 9, 0}, {0, 0, 0}});
        assertThat(diag[0][0]).isEqualTo(2);
        assertThat(diag[1][1]).isEqualTo(3);
        assertThat(diag[2][2]).isZero();
    }

    @Test
    void decomposesARandom64DimensionalCovarianceExactly() {
        int n = 64;
        double[][] a = randomPsd(n, 40, 11); // rank 40: singular, like few-sample covariances
        SymmetricEigen.Result r = SymmetricEigen.decompose(a);
        double[][] v = r.vectors();
        double maxErr = 0;
        double maxOrtho = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double rec = 0;
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    rec += v[i][k] * r.values()[k] * v[j][k];
                    dot += v[k][i] * v[k][j];
                }
                maxErr = Math.max(maxErr, Math.abs(rec - a[i][j]));
                maxOrtho = Math.max(maxOrtho, Math.abs(dot - (i == j ? 1 : 0)));
            }
        }
        assertThat(maxErr).isLessThan(1e-11);
        assertThat(maxOrtho).isLessThan(1e-12);
        long zeros = Arrays.stream(r.values()).filter(x -> Math.abs(x) < 1e-9).count();
        assertThat(zeros).isEqualTo(n - 40);
    }

    @Test
    void squareRootSquaresBack() {
        double[][] a = randomPsd(32, 20, 12);
        double[][] s = SymmetricEigen.sqrtPsd(a);
        double[][] s2 = FrechetDistance.multiply(s, s);
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                assertThat(s2[i][j]).isCloseTo(a[i][j], within(1e-10));
                assertThat(s[i][j]).isCloseTo(s[j][i], within(1e-14));
            }
        }
    }

    @Test
    void rejectsNonSquareAndNonFinite() {
        assertThatThrownBy(() -> SymmetricEigen.eigenvalues(new double[][] {{1, 2}, {3}}))
                .hasMessageContaining("not square");
        assertThatThrownBy(() -> SymmetricEigen.eigenvalues(new double[][] {{Double.NaN}}))
                .hasMessageContaining("not finite");
    }

    /** {@code B Bᵀ / k} with {@code B} an n×k Gaussian matrix: PSD of rank min(n, k). */
    static double[][] randomPsd(int n, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] b = new double[n][k];
        for (double[] row : b) {
            for (int j = 0; j < k; j++) {
                row[j] = r.nextGaussian();
            }
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int l = 0; l < k; l++) {
                    a[i][j] += b[i][l] * b[j][l] / k;
                }
            }
        }
        return a;
    }
}
