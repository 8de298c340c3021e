package dev.atelier.sketch.eval;

/**
 * Fréchet (2-Wasserstein) distance between two Gaussians, as in FID (Heusel et al., "GANs trained by a
 * two time-scale update rule converge to a local Nash equilibrium", NeurIPS 2017):
 *
 * <pre>d² = ||μ₁ − μ₂||² + tr(Σ₁) + tr(Σ₂) − 2 tr((Σ₁ Σ₂)^{1/2})</pre>
 *
 * Called <em>FSD</em> (Fréchet sketch distance) here because the features come from the sketch
 * evaluator, not Inception. Unit: squared embedding units; 0 for identical Gaussians.
 *
 * <p>Numerics: {@code Σ₁Σ₂} is not symmetric, so its square root is not taken directly. With
 * {@code S = Σ₁^{1/2}} (symmetric PSD, by Jacobi), {@code Σ₁Σ₂ = S·(SΣ₂)} and {@code M = (SΣ₂)·S} are
 * products of the same two factors in swapped order and so have the same eigenvalues; M is symmetric
 * PSD, hence {@code tr((Σ₁Σ₂)^{1/2}) = Σ_k √λ_k(M)}. This needs no inverse, so it stays valid when Σ₁
 * is singular (fewer samples than dimensions, dead features).
 * Eigenvalues of M that round-off pushed below 0 are clamped to 0. The result is not clamped: for
 * identical sets it is 0 up to ~1e-12 relative error, of either sign.
 *
 * <p>A {@link Reference} precomputes {@code S} once for a reference set that many generated sets are
 * compared with. Stateless / immutable and thread-safe.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** A reference Gaussian with its covariance square root computed once. */
    public static final class Reference {
        private final GaussianFit fit;
        private final double[][] sqrtCov;

        public Reference(GaussianFit fit) {
            this.fit = fit;
            this.sqrtCov = SymmetricEigen.sqrtPsd(fit.covariance());
        }

        public GaussianFit fit() {
            return fit;
        }

        /** Fréchet distance between this reference and {@code other}. */
        public double distanceTo(GaussianFit other) {
            int d = fit.dimension();
            if (other.dimension() != d) {
                throw new IllegalArgumentException("feature dimensions differ: " + d + " vs " + other.dimension());
            }
            double meanTerm = 0;
            for (int i = 0; i < d; i++) {
                double diff = fit.mean()[i] - other.mean()[i];
                meanTerm += diff * diff;
            }
            double[][] m = multiply(multiply(sqrtCov, other.covariance()), sqrtCov);
            double traceSqrt = 0;
            for (double lambda : SymmetricEigen.eigenvalues(m)) {
                traceSqrt += Math.sqrt(Math.max(0, lambda));
            }
            return meanTerm + fit.trace() + other.trace() - 2 * traceSqrt;
        }
    }

    /** Fréchet distance between two fitted Gaussians (symmetric in its arguments up to round-off). */
    public static double between(GaussianFit a, GaussianFit b) {
        return new Reference(a).distanceTo(b);
    }

    /** Fréchet distance between Gaussian fits of two feature sets {@code [n][d]}, {@code [m][d]}. */
    public static double between(float[][] a, float[][] b) {
        return between(GaussianFit.of(a), GaussianFit.of(b));
    }

    static double[][] multiply(double[][] x, double[][] y) {
        int n = x.length;
        int k = y.length;
        int m = y[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            double[] oi = out[i];
            for (int l = 0; l < k; l++) {
                double xil = x[i][l];
                if (xil == 0) {
                    continue;
                }
                double[] yl = y[l];
                for (int j = 0; j < m; j++) {
                    oi[j] += xil * yl[j];
                }
            }
        }
        return out;
    }
}
