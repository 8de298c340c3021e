package dev.atelier.core.privacy;

/**
 * Rényi DP of the Poisson-subsampled Gaussian mechanism (SGM): each record is included
 * independently with probability {@code q}, the sum of the included (sensitivity-1, i.e. clipped
 * and divided by the clip norm) contributions gets {@code N(0, sigma^2)} noise per coordinate.
 *
 * <p>{@code RDP(alpha) = log(A_alpha) / (alpha - 1)} with
 * {@code A_alpha = E_{z ~ N(0, sigma^2)} [((1 - q) + q exp((2z - 1) / (2 sigma^2)))^alpha]}
 * (Mironov, Talwar, Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian Mechanism",
 * arXiv:1908.10530, Section 3.3): for integer {@code alpha} the binomial expansion
 * {@code A = sum_i C(alpha, i) q^i (1-q)^(alpha-i) exp((i^2 - i) / (2 sigma^2))}, for fractional
 * {@code alpha} the two-sided series split at {@code z0 = sigma^2 log(1/q - 1) + 1/2} with erfc
 * weights. The computation is TF-privacy's {@code rdp_accountant.py} as ported by Opacus
 * ({@code opacus/accountants/analysis/rdp.py}), step for step in log space, so values match
 * theirs to rounding. Only valid for Poisson sampling (add/remove-one adjacency): a fixed-size
 * batch drawn without replacement needs a different analysis.
 *
 * <p>Stateless, thread-safe.
 */
public final class SubsampledGaussianRdp {
    private SubsampledGaussianRdp() {}

    /**
     * RDP at order {@code alpha} of one step.
     *
     * @param q sampling probability in [0, 1]
     * @param sigma noise multiplier (noise standard deviation / L2 sensitivity), >= 0
     * @param alpha Rényi order > 1, may be +inf
     * @return the RDP value, {@code +inf} when there is no privacy ({@code sigma == 0} or infinite order)
     */
    public static double rdp(double q, double sigma, double alpha) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("sampling rate q must be in [0, 1], got " + q);
        }
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("noise multiplier must be finite and >= 0, got " + sigma);
        }
        if (!(alpha > 1)) {
            throw new IllegalArgumentException("Rényi order must be > 1, got " + alpha);
        }
        if (q == 0) {
            return 0;
        }
        if (sigma == 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (q == 1) {
            return alpha / (2 * sigma * sigma);
        }
        if (Double.isInfinite(alpha)) {
            return Double.POSITIVE_INFINITY;
        }
        return logA(q, sigma, alpha) / (alpha - 1);
    }

    /** {@code log(A_alpha)} for {@code 0 < q < 1}, finite {@code alpha > 1}. */
    static double logA(double q, double sigma, double alpha) {
        if (alpha == Math.rint(alpha) && alpha < Integer.MAX_VALUE) {
            return logAInteger(q, sigma, (int) alpha);
        }
        return logAFractional(q, sigma, alpha);
    }

    private static double logAInteger(double q, double sigma, int alpha) {
        double logQ = Math.log(q);
        double log1mQ = Math.log(1 - q); // as the reference (not log1p) so the sums agree bit for bit-ish
        double twoSigma2 = 2 * (sigma * sigma);
        double logA = Double.NEGATIVE_INFINITY;
        double logBinom = 0; // log C(alpha, 0)
        for (int i = 0; i <= alpha; i++) {
            if (i > 0) {
                logBinom += Math.log(alpha - i + 1) - Math.log(i);
            }
            double s = logBinom + i * logQ + (alpha - i) * log1mQ + ((double) i * i - i) / twoSigma2;
            logA = LogMath.logAdd(logA, s);
        }
        return logA;
    }

    private static double logAFractional(double q, double sigma, double alpha) {
        double logQ = Math.log(q);
        double log1mQ = Math.log(1 - q);
        double sigma2 = sigma * sigma;
        double z0 = sigma2 * Math.log(1 / q - 1) + 0.5;
        double sqrt2Sigma = Math.sqrt(2) * sigma;
        double logHalf = Math.log(0.5);
        double logA0 = Double.NEGATIVE_INFINITY;
        double logA1 = Double.NEGATIVE_INFINITY;
        double logAbsCoef = 0; // log |C(alpha, 0)|
        boolean positive = true;
        for (int i = 0; ; i++) {
            if (i > 0) {
                double factor = (alpha - i + 1) / i;
                logAbsCoef += Math.log(Math.abs(factor));
                positive = positive == (factor > 0);
            }
            double j = alpha - i;
            double logT0 = logAbsCoef + i * logQ + j * log1mQ;
            double logT1 = logAbsCoef + j * logQ + i * log1mQ;
            double logE0 = logHalf + LogMath.logErfc((i - z0) / sqrt2Sigma);
            double logE1 = logHalf + LogMath.logErfc((z0 - j) / sqrt2Sigma);
            double logS0 = logT0 + ((double) i * i - i) / (2 * sigma2) + logE0;
            double logS1 = logT1 + (j * j - j) / (2 * sigma2) + logE1;
            if (positive) {
                logA0 = LogMath.logAdd(logA0, logS0);
                logA1 = LogMath.logAdd(logA1, logS1);
            } else {
                logA0 = LogMath.logSub(logA0, logS0);
                logA1 = LogMath.logSub(logA1, logS1);
            }
            if (Math.max(logS0, logS1) < -30) {
                return LogMath.logAdd(logA0, logA1);
            }
            if (i > 100_000) {
                throw new ArithmeticException(
                        "RDP series did not converge for q=" + q + ", sigma=" + sigma + ", alpha=" + alpha);
            }
        }
    }
}
