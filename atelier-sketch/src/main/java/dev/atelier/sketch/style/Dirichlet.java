package dev.atelier.sketch.style;

import java.util.SplittableRandom;

/**
 * Seeded, bit-reproducible sampling from a symmetric Dirichlet distribution, used to give each
 * designer a skewed (non-IID) mix of garment categories.
 *
 * <p>Gamma variates use Marsaglia–Tsang (2000) with the {@code U^(1/alpha)} boost for alpha &lt; 1;
 * normal variates use Box–Muller on {@link SplittableRandom#nextDouble()} rather than
 * {@code nextGaussian()}, whose algorithm the JDK does not pin down, so the same seed gives the same
 * mixes on every JDK.
 */
public final class Dirichlet {

    private Dirichlet() {}

    /**
     * Draws one probability vector from Dirichlet(alpha, …, alpha).
     *
     * @param alpha concentration &gt; 0; small values (e.g. 0.3) concentrate mass on few categories
     * @param k     number of categories, ≥ 1
     * @return k non-negative values summing to 1 (up to rounding)
     */
    public static double[] sample(double alpha, int k, SplittableRandom rnd) {
        if (!(alpha > 0) || k < 1) {
            throw new IllegalArgumentException("Dirichlet needs alpha > 0 and k >= 1, got alpha=" + alpha + ", k=" + k);
        }
        while (true) {
            double[] g = new double[k];
            double sum = 0;
            for (int i = 0; i < k; i++) {
                g[i] = gamma(alpha, rnd);
                sum += g[i];
            }
            // With tiny alpha every gamma can underflow to 0; redraw rather than divide by zero.
            if (sum > 0) {
                for (int i = 0; i < k; i++) {
                    g[i] /= sum;
                }
                return g;
            }
        }
    }

    /** Gamma(shape, scale 1) variate, shape &gt; 0 (Marsaglia–Tsang). */
    static double gamma(double shape, SplittableRandom rnd) {
        if (shape < 1) {
            // Gamma(a) = Gamma(a + 1) * U^(1/a) keeps the squeeze method valid for a < 1.
            double u = rnd.nextDouble();
            return gamma(shape + 1, rnd) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3.0;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = normal(rnd);
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rnd.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    /** Standard normal variate via Box–Muller (one of the pair; simplicity beats speed here). */
    static double normal(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble(); // (0, 1]: log stays finite
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
