package dev.atelier.core.privacy;

/**
 * Picks the noise multiplier for a privacy target: the smallest {@code sigma} (up to a
 * tolerance in epsilon) such that {@code steps} Poisson-subsampled Gaussian steps at rate
 * {@code q} spend at most {@code targetEpsilon} at {@code delta}. The search is Opacus'
 * {@code get_noise_multiplier}: double {@code sigma} from 20 until the target is met, then
 * bisect until {@code target - eps(sigma) <= tolerance}; the returned {@code sigma} always meets
 * the target. Stateless, thread-safe.
 */
public final class NoiseCalibration {
    /** Opacus' default epsilon tolerance. */
    public static final double DEFAULT_TOLERANCE = 0.01;

    private static final double MAX_SIGMA = 1e6;

    private NoiseCalibration() {}

    /** {@link #sigmaForTarget(double, double, double, long, double, EpsilonConversion)} with defaults. */
    public static double sigmaForTarget(double targetEpsilon, double delta, double q, long steps) {
        return sigmaForTarget(targetEpsilon, delta, q, steps, DEFAULT_TOLERANCE, EpsilonConversion.BALLE_2020);
    }

    /**
     * @return a noise multiplier whose epsilon is in {@code [target - tolerance, target]}
     * @throws IllegalArgumentException for a target no {@code sigma <= 1e6} meets, or bad arguments
     */
    public static double sigmaForTarget(
            double targetEpsilon, double delta, double q, long steps, double tolerance, EpsilonConversion conversion) {
        if (!(targetEpsilon > 0) || Double.isInfinite(targetEpsilon)) {
            throw new IllegalArgumentException("target epsilon must be finite and > 0, got " + targetEpsilon);
        }
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("epsilon tolerance must be > 0, got " + tolerance);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        RdpAccountant fresh = RdpAccountant.create();
        double low = 0;
        double high = 10;
        double epsHigh = Double.POSITIVE_INFINITY;
        while (epsHigh > targetEpsilon) {
            high *= 2;
            if (high > MAX_SIGMA) {
                throw new IllegalArgumentException("privacy target epsilon=" + targetEpsilon + " at delta=" + delta
                        + " needs a noise multiplier above " + MAX_SIGMA + " for q=" + q + ", " + steps + " steps");
            }
            epsHigh = fresh.compose(q, high, steps).spent(delta, conversion).epsilon();
        }
        while (targetEpsilon - epsHigh > tolerance) {
            double mid = (low + high) / 2;
            double eps = fresh.compose(q, mid, steps).spent(delta, conversion).epsilon();
            if (eps < targetEpsilon) {
                high = mid;
                epsHigh = eps;
            } else {
                low = mid;
            }
            if (high - low < 1e-12) {
                break; // epsilon jumps across the tolerance band (coarse order grid): keep the safe side
            }
        }
        return high;
    }
}
