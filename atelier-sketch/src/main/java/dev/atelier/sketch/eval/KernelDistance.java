package dev.atelier.sketch.eval;

import java.util.SplittableRandom;

/**
 * Kernel distance (KID; Bińkowski et al., "Demystifying MMD GANs", ICLR 2018): the unbiased estimate
 * of the squared maximum mean discrepancy between two feature sets under the cubic polynomial kernel
 *
 * <pre>k(x, y) = (x·y / d + 1)³
 * MMD²_u = 1/(m(m−1)) Σ_{i≠j} k(x_i, x_j) + 1/(n(n−1)) Σ_{i≠j} k(y_i, y_j) − 2/(mn) Σ_{i,j} k(x_i, y_j)</pre>
 *
 * <p>Unlike the Fréchet distance it has no bias from the sample size (its expectation is exactly 0
 * when both sets come from one distribution), so it can be negative for a single draw. Scoring a set
 * against <em>itself</em> is not a same-distribution draw: the cross term then includes the {@code i = j}
 * pairs, giving {@code −2 (mean k(x,x) − mean_{i≠j} k(x_i,x_j)) / n}, a small negative number.
 * Unit: kernel units (squared embedding magnitude³, since d normalises the dot product).
 *
 * <p>Large sets are scored in random subsets, as the paper's reference code does: if either set has
 * more than {@code subsetSize} vectors, {@code subsets} pairs of subsets of {@code subsetSize} are drawn
 * without replacement (pure-Java seeded RNG) and their estimates averaged. Stateless and thread-safe.
 */
public final class KernelDistance {
    /** Subset size of the reference implementation. */
    public static final int DEFAULT_SUBSET_SIZE = 1000;
    /** Number of subsets of the reference implementation. */
    public static final int DEFAULT_SUBSETS = 100;

    private KernelDistance() {}

    /** KID with the default subsets and a fixed seed (reproducible). */
    public static double kid(float[][] x, float[][] y) {
        return kid(x, y, DEFAULT_SUBSET_SIZE, DEFAULT_SUBSETS, 0x5EED_1D);
    }

    /**
     * Mean unbiased MMD² over subsets; a single estimate on the full sets when both have at most
     * {@code subsetSize} vectors.
     */
    public static double kid(float[][] x, float[][] y, int subsetSize, int subsets, long seed) {
        if (subsetSize < 2 || subsets < 1) {
            throw new IllegalArgumentException(
                    "subsetSize must be >= 2 and subsets >= 1, got " + subsetSize + ", " + subsets);
        }
        if (x.length <= subsetSize && y.length <= subsetSize) {
            return mmd2Unbiased(x, y);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int mx = Math.min(subsetSize, x.length);
        int my = Math.min(subsetSize, y.length);
        double sum = 0;
        for (int s = 0; s < subsets; s++) {
            sum += mmd2Unbiased(sample(x, mx, rng), sample(y, my, rng));
        }
        return sum / subsets;
    }

    /** The unbiased MMD² estimate on the full sets {@code x [m][d]} and {@code y [n][d]}, m, n ≥ 2. */
    public static double mmd2Unbiased(float[][] x, float[][] y) {
        int m = x.length;
        int n = y.length;
        if (m < 2 || n < 2) {
            throw new IllegalArgumentException("KID needs at least 2 vectors per set, got " + m + " and " + n);
        }
        int d = x[0].length;
        double kxx = 0;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                kxx += kernel(x[i], x[j], d);
            }
        }
        double kyy = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                kyy += kernel(y[i], y[j], d);
            }
        }
        double kxy = 0;
        for (float[] xi : x) {
            for (float[] yj : y) {
                kxy += kernel(xi, yj, d);
            }
        }
        // the i<j sums count each unordered pair once; the formula's i≠j sums count it twice
        return 2 * kxx / ((double) m * (m - 1)) + 2 * kyy / ((double) n * (n - 1)) - 2 * kxy / ((double) m * n);
    }

    /** {@code (a·b / d + 1)³}. */
    public static double kernel(float[] a, float[] b, int d) {
        if (a.length != d || b.length != d) {
            throw new IllegalArgumentException(
                    "feature vectors differ in dimension: " + a.length + ", " + b.length + " vs " + d);
        }
        double dot = 0;
        for (int i = 0; i < d; i++) {
            dot += (double) a[i] * b[i];
        }
        double k = dot / d + 1;
        return k * k * k;
    }

    private static float[][] sample(float[][] x, int k, SplittableRandom rng) {
        int[] idx = new int[x.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        float[][] out = new float[k][];
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            out[i] = x[idx[i]];
        }
        return out;
    }
}
