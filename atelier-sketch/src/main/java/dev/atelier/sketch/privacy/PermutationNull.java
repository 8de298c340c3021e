package dev.atelier.sketch.privacy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The label-permutation null of the audit's mean AUC: is the attack's separation of members from
 * non-members more than a random split of the same candidates would give? Under the null
 * hypothesis (training did not mark the members) the attack scores of one designer's candidates
 * are exchangeable, because members and non-members are drawn alike (alternate pairs of one draw,
 * {@link PrivacyAudit.Designer#alternate}); shuffling the member labels within each designer and
 * recomputing the mean AUC samples the null distribution exactly, whatever the scores' shape, ties
 * or correlations between candidates (which DeLong's interval does not cover: every view scores the
 * same candidates with the same gradients). One-sided in the attack's fixed direction (higher score
 * = member): {@code p = (1 + #{null >= observed}) / (1 + permutations)}.
 *
 * @param observed     the mean over designers of the real labels' AUC
 * @param pValue       one-sided permutation p-value, in {@code (0, 1]}
 * @param pBelow       the same for the opposite direction ({@code #{null <= observed}}): small
 *                     when members score significantly <em>lower</em> (a signal, but not the
 *                     direction the attack was fixed to)
 * @param nullMean     mean of the permuted mean AUCs (≈ 0.5)
 * @param nullHigh     their 95th percentile: the AUC a split by chance reaches 1 time in 20
 * @param permutations number of label permutations
 */
public record PermutationNull(
        double observed, double pValue, double pBelow, double nullMean, double nullHigh, int permutations) {
    /** Permutations the audit draws (p resolution 1/2001). */
    public static final int DEFAULT_PERMUTATIONS = 2000;

    /** Significance level of the positive control. */
    public static final double ALPHA = 0.05;

    /**
     * @param scores  per designer, attack scores with her {@code members.get(d)} members first, then
     *                her non-members (>= 2 of each, finite)
     * @param members per designer, how many of her scores are members'
     */
    public static PermutationNull of(List<double[]> scores, List<Integer> members, int permutations, long seed) {
        if (scores.isEmpty() || scores.size() != members.size()) {
            throw new IllegalArgumentException(
                    "need one member count per designer, got " + scores.size() + " score sets and " + members.size());
        }
        if (permutations < 1) {
            throw new IllegalArgumentException("permutations must be >= 1, got " + permutations);
        }
        int designers = scores.size();
        double[][] ranks = new double[designers][];
        for (int d = 0; d < designers; d++) {
            int m = members.get(d);
            int n = scores.get(d).length - m;
            if (m < 2 || n < 2) {
                throw new IllegalArgumentException(
                        "designer " + d + ": need >= 2 members and >= 2 non-members, got " + m + " and " + n);
            }
            ranks[d] = midRanks(scores.get(d));
        }
        double observed = 0;
        for (int d = 0; d < designers; d++) {
            observed += auc(ranks[d], identity(ranks[d].length), members.get(d)) / designers;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] nulls = new double[permutations];
        int atLeast = 0;
        int atMost = 0;
        int[][] order = new int[designers][];
        for (int d = 0; d < designers; d++) {
            order[d] = identity(ranks[d].length);
        }
        for (int p = 0; p < permutations; p++) {
            double mean = 0;
            for (int d = 0; d < designers; d++) {
                int m = members.get(d);
                int[] o = order[d];
                for (int i = 0; i < m; i++) { // partial Fisher-Yates: a uniform random m-subset in o[0..m)
                    int j = i + rng.nextInt(o.length - i);
                    int t = o[i];
                    o[i] = o[j];
                    o[j] = t;
                }
                mean += auc(ranks[d], o, m) / designers;
            }
            nulls[p] = mean;
            // a tolerance so a permutation equal to the observed split (in exact arithmetic) counts
            if (mean >= observed - 1e-12) {
                atLeast++;
            }
            if (mean <= observed + 1e-12) {
                atMost++;
            }
        }
        Arrays.sort(nulls);
        double nullMean = Arrays.stream(nulls).average().orElseThrow();
        double nullHigh = nulls[Math.min(permutations - 1, (int) Math.ceil(0.95 * permutations) - 1)];
        return new PermutationNull(
                observed,
                (1.0 + atLeast) / (1.0 + permutations),
                (1.0 + atMost) / (1.0 + permutations),
                nullMean,
                nullHigh,
                permutations);
    }

    /** True when the observed AUC is significantly above the null at {@link #ALPHA}. */
    public boolean significant() {
        return pValue < ALPHA;
    }

    /** Mann-Whitney AUC of the candidates {@code order[0..m)} as members, from midranks. */
    private static double auc(double[] ranks, int[] order, int m) {
        int n = ranks.length - m;
        double sum = 0;
        for (int i = 0; i < m; i++) {
            sum += ranks[order[i]];
        }
        return (sum - m * (m + 1) / 2.0) / ((double) m * n);
    }

    /** 1-based ranks, ties given their mean rank. */
    static double[] midRanks(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("attack scores must be finite, got " + v);
            }
        }
        Integer[] idx = new Integer[x.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(x[a], x[b]));
        double[] r = new double[x.length];
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && x[idx[j + 1]] == x[idx[i]]) {
                j++;
            }
            double mid = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[idx[k]] = mid;
            }
            i = j + 1;
        }
        return r;
    }

    private static int[] identity(int n) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        return o;
    }
}
