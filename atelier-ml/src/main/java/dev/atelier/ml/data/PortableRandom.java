package dev.atelier.ml.data;

import java.util.random.RandomGenerator;

/**
 * Seeded random sampling used by the splits and partitioners, written out here (rather than relying on
 * library defaults such as {@code RandomGenerator.nextGaussian()}) so that results depend only on the
 * seed and this code, not on the JDK version.
 *
 * <p>Gamma variates use Marsaglia &amp; Tsang (2000), "A simple method for generating gamma
 * variables", with the {@code U^(1/a)} boost for shape {@code a < 1}. Gamma and Dirichlet samples are
 * computed in log space so that very small concentrations (e.g. Dirichlet alpha 0.01) do not underflow
 * to all-zero proportions.
 *
 * <p>Thread-safety: stateless; callers own the (not thread-safe) generator they pass in.
 */
final class Sampling {

    private Sampling() {}

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

    /** A Dirichlet(alpha) sample: non-negative proportions summing to 1. */
    static double[] dirichlet(double[] alpha, RandomGenerator rng) {
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

    /**
     * Splits {@code total} units in proportion to non-negative {@code weights} (largest remainder
     * method): every share is the floor of its quota, and the leftover units go to the largest fractional
     * parts, ties to the lower index. The result sums to exactly {@code total}.
     */
    static int[] apportion(double[] weights, int total) {
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weights must be finite and >= 0, got " + w);
            }
            sum += w;
        }
        int n = weights.length;
        int[] out = new int[n];
        if (total == 0 || n == 0) {
            return out;
        }
        if (sum == 0) {
            throw new IllegalArgumentException("cannot apportion " + total + " units over zero weights");
        }
        double[] frac = new double[n];
        int given = 0;
        for (int i = 0; i < n; i++) {
            double quota = weights[i] / sum * total;
            out[i] = (int) Math.floor(quota);
            frac[i] = quota - out[i];
            given += out[i];
        }
        // floating-point rounding can leave the floors a few units short (never over)
        for (int left = total - given; left > 0; left--) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (frac[i] > frac[best]) {
                    best = i;
                }
            }
            out[best]++;
            frac[best] = -1;
        }
        return out;
    }
}
