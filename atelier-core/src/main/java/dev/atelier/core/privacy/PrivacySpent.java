package dev.atelier.core.privacy;

/**
 * An {@code (epsilon, delta)}-DP guarantee and the Rényi order it came from.
 *
 * @param epsilon +inf when the mechanism gives no privacy
 * @param delta the target delta, in (0, 1)
 * @param order the optimal Rényi order; NaN when no order gave a finite bound
 */
public record PrivacySpent(double epsilon, double delta, double order) {
    /** True when the optimum sits at the smallest or largest order: widen the order list for a tighter bound. */
    public boolean atEdgeOf(double[] orders) {
        return order == orders[0] || order == orders[orders.length - 1];
    }
}
