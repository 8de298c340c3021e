package dev.atelier.ml.data;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Random draws that depend only on the seed and this code, not on the JDK version: permutations,
 * normal, gamma and Dirichlet variates, written out here rather than relying on library defaults such
 * as {@code RandomGenerator.nextGaussian()} (whose algorithm the JDK does not pin down). The one
 * Dirichlet sampler of the code base: the splits, the partitioners and the sketch designers' garment
 * mixes all draw from it.
 *
 * <p>Gamma variates use Marsaglia &amp; Tsang (2000), "A simple method for generating gamma
 * variables", with the {@code U^(1/a)} boost for shape {@code a < 1}. Gamma and Dirichlet samples are
 * computed in log space so that very small concentrations (e.g. Dirichlet alpha 0.01) do not underflow
 * to all-zero proportions.
 *
 * <p>Thread-safety: stateless; callers own the (not thread-safe) generator they pass in.
 */
public final class PortableRandom {

    private PortableRandom() {}

    /** A random permutation of {@code 0..n-1} (Fisher-Yates). */
    static int[] permutation(int n, RandomGenerator rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        shuffle(a, rng);
        return a;
    }

    /** Shuffles {@code a} in place (Fisher-Yates). */
    static void shuffle(int[] a, RandomGenerator rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** A standard normal variate (Marsaglia polar method). */
    static double gaussian(RandomGenerator rng) {
        while (true) {
            double u = 2 * rng.nextDouble() - 1;
            double v = 2 * rng.nextDouble() - 1;
            double s = u * u + v * v;
            if (s > 0 && s < 1) {
                return u * Math.sqrt(-2 * Math.log(s) / s);
            }
        }
    }

    /** A uniform variate in (0, 1], safe to take the logarithm of. */
    private static double openUniform(RandomGenerator rng) {
        return 1.0 - rng.nextDouble();
    }

    /** The natural logarithm of a Gamma(shape, 1) variate; {@code shape > 0}. */
    static double logGamma(double shape, RandomGenerator rng) {
        if (!(shape > 0) || Double.isInfinite(shape)) {
            throw new IllegalArgumentException("gamma shape must be a positive finite number, got " + shape);
        }
        if (shape < 1) {
            // Gamma(a) = Gamma(a + 1) * U^(1/a); kept as a sum of logs to avoid underflow for tiny a
            return logGamma(shape + 1, rng) + Math.log(openUniform(rng)) / shape;
        }
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9 * d);
        while (true) {
            double x = gaussian(rng);
            double t = 1 + c * x;
            if (t <= 0) {
                continue;
            }
            double v = t * t * t;
            double u = openUniform(rng);
            double x2 = x * x;
            if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
                return Math.log(d * v);
            }
        }
    }

    /** A Gamma(shape, 1) variate; {@code shape > 0}. May be 0.0 when shape is tiny. */
    static double gamma(double shape, RandomGenerator rng) {
        return Math.exp(logGamma(shape, rng));
    }

    /**
     * A symmetric Dirichlet(alpha, ..., alpha) sample over {@code k} categories.
     *
     * @param alpha concentration {@code > 0}; small values (e.g. 0.3) concentrate mass on few categories
     * @param k     number of categories, {@code >= 1}
     */
    public static double[] dirichlet(double alpha, int k, RandomGenerator rng) {
        if (k < 1) {
            throw new IllegalArgumentException("Dirichlet needs k >= 1 categories, got " + k);
        }
        double[] a = new double[k];
        Arrays.fill(a, alpha);
        return dirichlet(a, rng);
    }

    /** A Dirichlet(alpha) sample: non-negative proportions summing to 1. */
    public static double[] dirichlet(double[] alpha, RandomGenerator rng) {
        int k = alpha.length;
        double[] logs = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            logs[i] = logGamma(alpha[i], rng);
            max = Math.max(max, logs[i]);
        }
        double sum = 0;
        double[] p = new double[k];
        for (int i = 0; i < k; i++) {
            p[i] = Math.exp(logs[i] - max); // the largest term is exactly 1, so sum >= 1
            sum += p[i];
        }
        for (int i = 0; i < k; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
