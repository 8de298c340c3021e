package dev.atelier.core.privacy;

/**
 * Rényi DP accountant for compositions of Poisson-subsampled Gaussian steps (DP-SGD examples,
 * DP-FedAvg nodes): RDP adds up over steps at every order (Mironov 2017, Proposition 1), and
 * {@link #spent} converts the total to {@code (epsilon, delta)} at the best order.
 *
 * <p><b>Sampling must be Poisson</b>: each record (example for DP-SGD, node for DP-FedAvg) joins a
 * step independently with probability {@code q}. Shuffled fixed-size batches or sampling exactly
 * {@code k} of {@code n} nodes are not covered by these numbers.
 *
 * <p>Immutable and thread-safe: {@link #compose} returns a new accountant. Orders default to
 * Opacus' {@code DEFAULT_ALPHAS} (1.1, 1.2, ..., 10.9, 12, 13, ..., 63), so results are comparable.
 */
public final class RdpAccountant {
    private static final double[] DEFAULT_ORDERS = buildDefaultOrders();

    private final double[] orders;
    private final double[] rdp;
    private final long steps;

    private RdpAccountant(double[] orders, double[] rdp, long steps) {
        this.orders = orders;
        this.rdp = rdp;
        this.steps = steps;
    }

    /** A fresh accountant over Opacus' default orders. */
    public static RdpAccountant create() {
        return new RdpAccountant(DEFAULT_ORDERS, new double[DEFAULT_ORDERS.length], 0);
    }

    /** A fresh accountant over the given orders (each > 1, may include +inf). */
    public static RdpAccountant withOrders(double... orders) {
        if (orders.length == 0) {
            throw new IllegalArgumentException("at least one Rényi order is needed");
        }
        for (double a : orders) {
            if (!(a > 1)) {
                throw new IllegalArgumentException("Rényi orders must be > 1, got " + a);
            }
        }
        return new RdpAccountant(orders.clone(), new double[orders.length], 0);
    }

    /** Opacus' default orders: 1.1 to 10.9 in steps of 0.1, then the integers 12 to 63. */
    public static double[] defaultOrders() {
        return DEFAULT_ORDERS.clone();
    }

    private static double[] buildDefaultOrders() {
        double[] o = new double[99 + 52];
        for (int x = 1; x < 100; x++) {
            o[x - 1] = 1 + x / 10.0;
        }
        for (int a = 12; a < 64; a++) {
            o[99 + a - 12] = a;
        }
        return o;
    }

    /**
     * This accountant plus {@code count} steps of the subsampled Gaussian mechanism.
     *
     * @param q Poisson sampling rate in [0, 1]
     * @param sigma noise multiplier (noise std / clip norm)
     */
    public RdpAccountant compose(double q, double sigma, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("step count must be >= 0, got " + count);
        }
        if (count == 0) {
            return this; // 0 * inf would be NaN for a noiseless mechanism
        }
        double[] next = rdp.clone();
        for (int i = 0; i < orders.length; i++) {
            next[i] += count * SubsampledGaussianRdp.rdp(q, sigma, orders[i]);
        }
        return new RdpAccountant(orders, next, steps + count);
    }

    /** Steps composed so far. */
    public long steps() {
        return steps;
    }

    public double[] orders() {
        return orders.clone();
    }

    /** Accumulated RDP per order (same indexing as {@link #orders()}). */
    public double[] rdp() {
        return rdp.clone();
    }

    /** {@code (epsilon, delta)} spent so far, with the {@link EpsilonConversion#BALLE_2020} conversion. */
    public PrivacySpent spent(double delta) {
        return spent(delta, EpsilonConversion.BALLE_2020);
    }

    /** {@code (epsilon, delta)} spent so far: the smallest epsilon over the orders (NaN ones ignored). */
    public PrivacySpent spent(double delta, EpsilonConversion conversion) {
        return spent(orders, rdp, delta, conversion);
    }

    /** Converts an RDP curve to {@code (epsilon, delta)} at its best order. */
    public static PrivacySpent spent(double[] orders, double[] rdp, double delta, EpsilonConversion conversion) {
        if (orders.length != rdp.length) {
            throw new IllegalArgumentException(
                    "orders and rdp differ in length: " + orders.length + " vs " + rdp.length);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        }
        double best = Double.NaN;
        double bestOrder = Double.NaN;
        for (int i = 0; i < orders.length; i++) {
            double eps = conversion.epsilon(orders[i], rdp[i], delta);
            if (!Double.isNaN(eps) && (Double.isNaN(best) || eps < best)) {
                best = eps;
                bestOrder = orders[i];
            }
        }
        if (Double.isNaN(best)) {
            return new PrivacySpent(Double.POSITIVE_INFINITY, delta, Double.NaN);
        }
        return new PrivacySpent(best, delta, Double.isInfinite(best) ? Double.NaN : bestOrder);
    }

    @Override
    public String toString() {
        return "RdpAccountant(" + steps + " steps, " + orders.length + " orders)";
    }
}
