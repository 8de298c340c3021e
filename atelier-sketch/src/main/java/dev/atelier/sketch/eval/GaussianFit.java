package dev.atelier.sketch.eval;

/**
 * Maximum-likelihood mean and unbiased covariance of a set of feature vectors: the Gaussian that
 * the Fréchet distance compares.
 *
 * <p>{@code mean[d] = (1/n) Σ_i x_i[d]}, {@code cov[a][b] = (1/(n−1)) Σ_i (x_i[a] − mean[a])(x_i[b] − mean[b])}
 * (the {@code n−1} convention of {@code numpy.cov}, which FID implementations use). Accumulated in
 * double precision after centring, which avoids the cancellation of the one-pass {@code E[xxᵀ] − μμᵀ}.
 *
 * @param mean       {@code [d]}
 * @param covariance {@code [d][d]}, symmetric positive semi-definite
 */
public record GaussianFit(double[] mean, double[][] covariance) {
    public GaussianFit {
        if (covariance.length != mean.length) {
            throw new IllegalArgumentException(
                    "covariance is " + covariance.length + "x? for a mean of dimension " + mean.length);
        }
    }

    /** Fits {@code n ≥ 2} vectors of equal dimension. */
    public static GaussianFit of(float[][] samples) {
        int n = samples.length;
        if (n < 2) {
            throw new IllegalArgumentException("a covariance needs at least 2 samples, got " + n);
        }
        int d = samples[0].length;
        double[] mean = new double[d];
        for (float[] x : samples) {
            if (x.length != d) {
                throw new IllegalArgumentException("feature vectors differ in dimension: " + x.length + " vs " + d);
            }
            for (int j = 0; j < d; j++) {
                mean[j] += x[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (float[] x : samples) {
            for (int j = 0; j < d; j++) {
                c[j] = x[j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                double ca = c[a];
                double[] row = cov[a];
                for (int b = a; b < d; b++) {
                    row[b] += ca * c[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
        }
        return new GaussianFit(mean, cov);
    }

    /** Feature dimension d. */
    public int dimension() {
        return mean.length;
    }

    /** {@code tr(Σ)}. */
    public double trace() {
        double t = 0;
        for (int i = 0; i < mean.length; i++) {
            t += covariance[i][i];
        }
        return t;
    }
}
