package dev.atelier.core.aggregate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Byzantine-robust combination rules as plain functions over {@code n} update vectors of equal
 * length {@code d} (no state, no I/O). Coordinate-wise rules cost O(d · n log n) time; Krum costs
 * O(n² · d). Inputs are never modified.
 *
 * <ul>
 *   <li>{@link #coordinateMedian} and {@link #coordinateTrimmedMean}: Yin, Chen, Ramchandran,
 *       Bartlett, "Byzantine-Robust Distributed Learning: Towards Optimal Statistical Rates",
 *       ICML 2018.</li>
 *   <li>{@link #krumScores} and {@link #krumSelect}: Blanchard, El Mhamdi, Guerraoui, Stainer,
 *       "Machine Learning with Adversaries: Byzantine Tolerant Gradient Descent", NeurIPS 2017.</li>
 * </ul>
 */
public final class RobustMath {
    private RobustMath() {}

    /**
     * Per coordinate j, the median of {@code v_1[j] .. v_n[j]}; for even n the mean of the two
     * middle values (computed in double).
     *
     * @return a new vector of length d
     * @throws IllegalArgumentException when there are no vectors or their lengths differ
     */
    public static float[] coordinateMedian(List<float[]> vectors) {
        int d = checkVectors(vectors);
        int n = vectors.size();
        float[] out = new float[d];
        float[] column = new float[n];
        for (int j = 0; j < d; j++) {
            fillSortedColumn(vectors, j, column);
            out[j] = n % 2 == 1 ? column[n / 2] : (float) (((double) column[n / 2 - 1] + column[n / 2]) / 2);
        }
        return out;
    }

    /**
     * Per coordinate j, the mean of the values left after removing the {@code trim} smallest and
     * the {@code trim} largest of {@code v_1[j] .. v_n[j]}.
     *
     * @param trim values removed from each side; needs {@code 0 <= trim} and {@code 2 * trim < n}
     */
    public static float[] coordinateTrimmedMean(List<float[]> vectors, int trim) {
        int d = checkVectors(vectors);
        int n = vectors.size();
        if (trim < 0 || 2 * trim >= n) {
            throw new IllegalArgumentException("trimmed mean cannot trim " + trim + " from each side of " + n
                    + " updates (needs 0 <= trim and 2*trim < n)");
        }
        float[] out = new float[d];
        float[] column = new float[n];
        int kept = n - 2 * trim;
        for (int j = 0; j < d; j++) {
            fillSortedColumn(vectors, j, column);
            double s = 0;
            for (int i = trim; i < n - trim; i++) {
                s += column[i];
            }
            out[j] = (float) (s / kept);
        }
        return out;
    }

    /** How many of {@code n} values a trim fraction {@code beta} removes from each side: floor(beta · n). */
    public static int trimCount(int n, double beta) {
        return (int) Math.floor(beta * n);
    }

    /**
     * Krum score of every vector: the sum of squared Euclidean distances to its {@code n - f - 2}
     * nearest other vectors. Honest updates cluster, so they score low; an outlier is far from
     * at least {@code n - f - 2} of them and scores high.
     *
     * @param f assumed number of Byzantine vectors; Krum needs {@code n > 2f + 2}
     * @return scores, index-aligned with {@code vectors}
     */
    public static double[] krumScores(List<float[]> vectors, int f) {
        checkVectors(vectors);
        int n = vectors.size();
        if (f < 0) {
            throw new IllegalArgumentException("Krum's Byzantine count f must be >= 0, got " + f);
        }
        if (n <= 2 * f + 2) {
            throw new IllegalArgumentException(
                    "Krum with f=" + f + " needs more than 2f+2=" + (2 * f + 2) + " updates, got " + n);
        }
        double[][] dist = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                dist[i][j] = dist[j][i] = AggregationMath.squaredDistance(vectors.get(i), vectors.get(j));
            }
        }
        int neighbours = n - f - 2;
        double[] scores = new double[n];
        double[] others = new double[n - 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0, k = 0; j < n; j++) {
                if (j != i) {
                    others[k++] = dist[i][j];
                }
            }
            Arrays.sort(others);
            double s = 0;
            for (int k = 0; k < neighbours; k++) {
                s += others[k];
            }
            scores[i] = s;
        }
        return scores;
    }

    /**
     * Indices of the {@code m} vectors with the lowest Krum scores, best first (ties: lower index).
     * {@code m = 1} is Krum; larger m is Multi-Krum.
     *
     * @param m how many to select; needs {@code 1 <= m <= n - f}, since selecting more than the
     *          honest count would admit a Byzantine vector by construction
     */
    public static int[] krumSelect(List<float[]> vectors, int f, int m) {
        double[] scores = krumScores(vectors, f);
        int n = vectors.size();
        if (m < 1 || m > n - f) {
            throw new IllegalArgumentException("Multi-Krum cannot select m=" + m + " of " + n + " updates with f=" + f
                    + " (needs 1 <= m <= n - f = " + (n - f) + ")");
        }
        return IntStream.range(0, n)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).thenComparingInt(i -> i))
                .limit(m)
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /**
     * The weighted mean {@code sum_i w_i v_i / sum_i w_i} over the chosen indices
     * ({@link AggregationMath#weightedMean(List, double[])}). When every chosen weight is zero the
     * plain mean is used instead.
     */
    public static float[] weightedMean(List<float[]> vectors, double[] weights, int[] chosen) {
        checkVectors(vectors);
        if (weights.length != vectors.size()) {
            throw new IllegalArgumentException(weights.length + " weights for " + vectors.size() + " vectors");
        }
        if (chosen.length == 0) {
            throw new IllegalArgumentException("no vectors chosen to average");
        }
        List<float[]> picked = new ArrayList<>(chosen.length);
        double[] w = new double[chosen.length];
        boolean allZero = true;
        for (int k = 0; k < chosen.length; k++) {
            picked.add(vectors.get(chosen[k]));
            w[k] = weights[chosen[k]];
            allZero &= w[k] == 0;
        }
        if (allZero) {
            Arrays.fill(w, 1);
        }
        return AggregationMath.weightedMean(picked, w);
    }

    private static void fillSortedColumn(List<float[]> vectors, int j, float[] column) {
        for (int i = 0; i < column.length; i++) {
            column[i] = vectors.get(i)[j];
        }
        Arrays.sort(column);
    }

    /** @return the common length d */
    private static int checkVectors(List<float[]> vectors) {
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("no update vectors to combine");
        }
        int d = vectors.get(0).length;
        for (int i = 1; i < vectors.size(); i++) {
            if (vectors.get(i).length != d) {
                throw new IllegalArgumentException(
                        "update vector " + i + " has length " + vectors.get(i).length + ", expected " + d);
            }
        }
        return d;
    }
}
