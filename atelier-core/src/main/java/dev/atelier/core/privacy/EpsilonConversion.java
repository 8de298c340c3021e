package dev.atelier.core.privacy;

/**
 * How an RDP guarantee {@code (alpha, rho)} becomes an {@code (epsilon, delta)} guarantee.
 * Both are valid upper bounds; {@link #BALLE_2020} is never larger for {@code alpha > 1} and
 * {@code delta < 1}, so it is the default.
 */
public enum EpsilonConversion {
    /**
     * {@code eps = rho - (log(delta) + log(alpha)) / (alpha - 1) + log((alpha - 1) / alpha)}:
     * Balle, Barthe, Gaboardi, Hsu, Sato 2020, "Hypothesis testing interpretations and Rényi
     * differential privacy" (AISTATS; Theorem 21 of arXiv:1905.09982), as Opacus'
     * {@code get_privacy_spent} and newer TF-privacy compute it.
     */
    BALLE_2020 {
        @Override
        public double epsilon(double alpha, double rho, double delta) {
            return rho - (Math.log(delta) + Math.log(alpha)) / (alpha - 1) + Math.log((alpha - 1) / alpha);
        }
    },
    /**
     * {@code eps = rho + log(1/delta) / (alpha - 1)}: Mironov 2017, "Rényi Differential Privacy"
     * (CSF), Proposition 3; what TF-privacy's {@code compute_dp_sgd_privacy} printed in its
     * MNIST tutorial table.
     */
    CLASSIC {
        @Override
        public double epsilon(double alpha, double rho, double delta) {
            return rho - Math.log(delta) / (alpha - 1);
        }
    };

    /** Epsilon of an {@code (alpha, rho)}-RDP mechanism at {@code delta}; NaN or +inf when none. */
    public abstract double epsilon(double alpha, double rho, double delta);
}
