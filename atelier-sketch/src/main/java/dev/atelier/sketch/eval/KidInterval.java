package dev.atelier.sketch.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * KID ({@link KernelDistance}) of paired feature sets with a percentile bootstrap confidence
 * interval: how far the estimate on a few dozen held-out pairs can be trusted.
 *
 * <p>{@code x[i]} and {@code y[i]} belong to the same garment i (generated and reference sketch), so
 * a resample draws garment indices with replacement and keeps both sketches of each drawn garment.
 * A resample is scored with the unbiased MMD² on the drawn multiset, where pairs of <em>the same</em>
 * drawn item are left out of the within-set sums (they are a sample compared with itself, the
 * {@code i = j} term the unbiased estimator excludes); with counts {@code w_a}:
 *
 * <pre>
 *   xx = Σ_{a≠b} w_a w_b k(x_a, x_b) / (m² − Σ w_a²)      (yy likewise)
 *   xy = Σ_{a,b} w_a w_b k(x_a, y_b) / m²
 *   MMD²* = xx + yy − 2·xy
 * </pre>
 * With every {@code w_a = 1} this is exactly {@link KernelDistance#mmd2Unbiased}, the point
 * estimate. The interval is the {@code (1−level)/2} and {@code (1+level)/2} quantiles of the
 * resampled values (seeded {@link SplittableRandom}, so reproducible). Kernel matrices are computed
 * once: {@code O(m²·d)} then {@code O(m²)} per resample. Stateless, thread-safe.
 */
public final class KidInterval {
    /** Resamples of {@code sketch eval}. */
    public static final int DEFAULT_RESAMPLES = 1000;

    private KidInterval() {}

    /**
     * A KID with its interval.
     *
     * @param kid the point estimate on all pairs (kernel units, as {@link KernelDistance})
     * @param low lower end of the interval
     * @param high upper end of the interval
     * @param level coverage, e.g. 0.95
     * @param resamples bootstrap resamples drawn
     */
    public record Estimate(double kid, double low, double high, double level, int resamples) {}

    /** The 95% interval with {@value #DEFAULT_RESAMPLES} resamples and a fixed seed. */
    public static Estimate paired(float[][] x, float[][] y) {
        return paired(x, y, DEFAULT_RESAMPLES, 0.95, 0x5EED_C1L);
    }

    /**
     * @throws IllegalArgumentException unless both sets have the same size m ≥ 2 and dimension, or
     *     when {@code resamples < 1} or {@code level} is not in (0, 1)
     */
    public static Estimate paired(float[][] x, float[][] y, int resamples, double level, long seed) {
        int m = x.length;
        if (m != y.length || m < 2) {
            throw new IllegalArgumentException(
                    "paired KID needs two sets of the same size >= 2, got " + x.length + " and " + y.length);
        }
        if (resamples < 1 || !(level > 0 && level < 1)) {
            throw new IllegalArgumentException(
                    "need resamples >= 1 and level in (0,1), got " + resamples + ", " + level);
        }
        int d = x[0].length;
        double[][] kxx = gram(x, x, d);
        double[][] kyy = gram(y, y, d);
        double[][] kxy = gram(x, y, d);
        int[] ones = new int[m];
        Arrays.fill(ones, 1);
        double point = mmd2(kxx, kyy, kxy, ones);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] boot = new double[resamples];
        int[] w = new int[m];
        for (int r = 0; r < resamples; r++) {
            Arrays.fill(w, 0);
            for (int i = 0; i < m; i++) {
                w[rng.nextInt(m)]++;
            }
            boot[r] = mmd2(kxx, kyy, kxy, w);
        }
        Arrays.sort(boot);
        return new Estimate(point, quantile(boot, (1 - level) / 2), quantile(boot, (1 + level) / 2), level, resamples);
    }

    /** The weighted estimate of the class comment; with all counts 1 the unbiased MMD². */
    static double mmd2(double[][] kxx, double[][] kyy, double[][] kxy, int[] w) {
        int m = w.length;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        long sumSq = 0;
        for (int a = 0; a < m; a++) {
            if (w[a] == 0) {
                continue;
            }
            sumSq += (long) w[a] * w[a];
            for (int b = 0; b < m; b++) {
                if (w[b] == 0) {
                    continue;
                }
                double ww = (double) w[a] * w[b];
                xy += ww * kxy[a][b];
                if (a != b) {
                    xx += ww * kxx[a][b];
                    yy += ww * kyy[a][b];
                }
            }
        }
        double pairs = (double) m * m - sumSq;
        if (pairs <= 0) {
            // every draw was the same garment: no pair of distinct samples, no within-set estimate
            return Double.NaN;
        }
        return xx / pairs + yy / pairs - 2 * xy / ((double) m * m);
    }

    private static double[][] gram(float[][] a, float[][] b, int d) {
        double[][] k = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                k[i][j] = KernelDistance.kernel(a[i], b[j], d);
            }
        }
        return k;
    }

    /** Linear interpolation between order statistics of sorted values; NaN draws sort last and are skipped. */
    static double quantile(double[] sorted, double q) {
        int n = 0;
        while (n < sorted.length && !Double.isNaN(sorted[n])) {
            n++;
        }
        if (n == 0) {
            return Double.NaN;
        }
        double pos = q * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(n - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
