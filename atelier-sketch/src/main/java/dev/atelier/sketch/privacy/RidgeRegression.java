package dev.atelier.sketch.privacy;

/**
 * Ridge regression of an update on the candidates' gradients: the weights {@code w} minimising
 * {@code ‖Δ − Σ_i w_i g_i‖² + λ‖w‖²}, i.e. {@code w = (G Gᵀ + λI)⁻¹ G Δ} with {@code G} the
 * {@code n × d} matrix of candidate gradients ({@code n} small, {@code d} the critic's weights). A
 * member's gradient is in the update with a positive weight; regressing on all candidates at once
 * (rather than one cosine per candidate) accounts for the direction every sketch of the style
 * shares and for the correlations between candidates, which otherwise swamp the member-specific
 * part. {@code λ = 10⁻³ · trace(G Gᵀ) / n} keeps the solve stable when gradients are nearly
 * collinear. Immutable; thread-safe.
 */
final class RidgeRegression {
    private static final double RELATIVE_RIDGE = 1e-3;

    private final double[][] g;
    private final double[][] cholesky;

    private RidgeRegression(double[][] g, double[][] cholesky) {
        this.g = g;
        this.cholesky = cholesky;
    }

    /** @param g {@code n} gradients of equal length {@code d} (not copied: do not modify) */
    static RidgeRegression of(double[][] g) {
        int n = g.length;
        double[][] a = new double[n][n];
        double trace = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < g[i].length; k++) {
                    s += g[i][k] * g[j][k];
                }
                a[i][j] = s;
                a[j][i] = s;
            }
            trace += a[i][i];
        }
        double lambda = Math.max(RELATIVE_RIDGE * trace / n, Double.MIN_NORMAL);
        for (int i = 0; i < n; i++) {
            a[i][i] += lambda;
        }
        return new RidgeRegression(g, cholesky(a));
    }

    /** The candidates' weights in {@code delta} (length {@code d}). */
    double[] weights(double[] delta) {
        int n = g.length;
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < delta.length; k++) {
                s += g[i][k] * delta[k];
            }
            b[i] = s;
        }
        // L y = b, then Lᵀ w = y
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= cholesky[i][k] * y[k];
            }
            y[i] = s / cholesky[i][i];
        }
        double[] w = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= cholesky[k][i] * w[k];
            }
            w[i] = s / cholesky[i][i];
        }
        return w;
    }

    /** Lower-triangular {@code L} with {@code L Lᵀ = a} (a symmetric positive definite). */
    private static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalStateException("gradient Gram matrix is not positive definite");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }
}
