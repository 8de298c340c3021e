package dev.atelier.sketch.eval;

/**
 * Eigen-decomposition {@code A = V diag(λ) Vᵀ} of a real symmetric matrix by the cyclic Jacobi method
 * (Golub &amp; Van Loan, <i>Matrix Computations</i>, §8.5), in double precision.
 *
 * <p>Why Jacobi: it is short, needs no external library, is unconditionally stable for symmetric
 * input and computes small eigenvalues to high relative accuracy, which matters for the nearly
 * singular covariance matrices of a few hundred 128-d embeddings. Each rotation zeroes one
 * off-diagonal pair; sweeps repeat until the off-diagonal Frobenius norm is below
 * {@code 1e-14 ×} the matrix norm (convergence is quadratic, ~6–10 sweeps for n = 128).
 *
 * <p>The input is symmetrised as {@code (A + Aᵀ)/2} first so round-off asymmetry in products such
 * as {@code S Σ S} cannot bias the result. Stateless and thread-safe; inputs are not modified.
 */
public final class SymmetricEigen {
    private static final int MAX_SWEEPS = 100;
    private static final double TOLERANCE = 1e-14;

    /**
     * @param values  eigenvalues, unsorted, {@code values[k]} belongs to column k of {@code vectors}
     * @param vectors orthonormal eigenvectors as columns, {@code [n][n]}; null if not requested
     */
    public record Result(double[] values, double[][] vectors) {}

    private SymmetricEigen() {}

    /** Eigenvalues and eigenvectors of the symmetric {@code n×n} matrix {@code a}. */
    public static Result decompose(double[][] a) {
        return run(a, true);
    }

    /** Eigenvalues only (skips the eigenvector updates: about half the work). */
    public static double[] eigenvalues(double[][] a) {
        return run(a, false).values();
    }

    /**
     * Principal square root of a symmetric positive semi-definite matrix: {@code V diag(√max(λ,0)) Vᵀ}.
     * Eigenvalues that round-off made slightly negative are clamped to 0 (a PSD matrix has none).
     */
    public static double[][] sqrtPsd(double[][] a) {
        Result r = decompose(a);
        int n = a.length;
        double[] s = new double[n];
        for (int k = 0; k < n; k++) {
            s[k] = Math.sqrt(Math.max(0, r.values()[k]));
        }
        double[][] v = r.vectors();
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double x = 0;
                for (int k = 0; k < n; k++) {
                    x += v[i][k] * s[k] * v[j][k];
                }
                out[i][j] = x;
                out[j][i] = x;
            }
        }
        return out;
    }

    private static Result run(double[][] input, boolean wantVectors) {
        int n = input.length;
        double[][] a = new double[n][n];
        double norm2 = 0;
        for (int i = 0; i < n; i++) {
            if (input[i].length != n) {
                throw new IllegalArgumentException(
                        "matrix is not square: row " + i + " has " + input[i].length + " entries, expected " + n);
            }
            for (int j = 0; j < n; j++) {
                double x = 0.5 * (input[i][j] + input[j][i]);
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("matrix entry (" + i + ", " + j + ") is not finite: " + x);
                }
                a[i][j] = x;
                norm2 += x * x;
            }
        }
        double[][] v = wantVectors ? identity(n) : null;
        double threshold = TOLERANCE * TOLERANCE * norm2;
        for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal2(a) > threshold; sweep++) {
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] != 0) {
                        rotate(a, v, p, q);
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i][i];
        }
        return new Result(values, v);
    }

    /** One Jacobi rotation in the (p, q) plane that makes a[p][q] zero. */
    private static void rotate(double[][] a, double[][] v, int p, int q) {
        double apq = a[p][q];
        double theta = (a[q][q] - a[p][p]) / (2 * apq);
        // t = tan of the rotation angle, the smaller root of t² + 2θt − 1 = 0 (keeps the rotation < 45°)
        double t = Math.abs(theta) > 1e150
                ? 0.5 / theta
                : Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        a[p][p] -= t * apq;
        a[q][q] += t * apq;
        a[p][q] = 0;
        a[q][p] = 0;
        int n = a.length;
        double[] rowP = a[p];
        double[] rowQ = a[q];
        for (int r = 0; r < n; r++) {
            if (r == p || r == q) {
                continue;
            }
            double arp = rowP[r];
            double arq = rowQ[r];
            double np = c * arp - s * arq;
            double nq = s * arp + c * arq;
            rowP[r] = np;
            rowQ[r] = nq;
            a[r][p] = np;
            a[r][q] = nq;
        }
        if (v != null) {
            for (int r = 0; r < n; r++) {
                double vp = v[r][p];
                double vq = v[r][q];
                v[r][p] = c * vp - s * vq;
                v[r][q] = s * vp + c * vq;
            }
        }
    }

    private static double offDiagonal2(double[][] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                if (i != j) {
                    s += a[i][j] * a[i][j];
                }
            }
        }
        return s;
    }

    private static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }
}
