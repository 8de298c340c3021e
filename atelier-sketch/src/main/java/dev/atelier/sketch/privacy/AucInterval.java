package dev.atelier.sketch.privacy;

import java.util.Arrays;
import java.util.List;

/**
 * Area under the ROC curve of an attack score that should be higher for members, with DeLong's 95%
 * confidence interval (DeLong, DeLong and Clarke-Pearson 1988; the structural components as in Sun
 * and Xu 2014): {@code AUC = P(score(member) > score(non-member)) + P(=)/2}, variance
 * {@code S10/m + S01/n} from the per-sample placement values, interval {@code AUC ± 1.96·SE}
 * clipped to [0, 1]. 0.5 is chance; an interval whose low end is above 0.5 is a significant attack.
 *
 * @param auc        in [0, 1]
 * @param low        lower end of the 95% interval
 * @param high       upper end
 * @param stdError   DeLong standard error
 * @param members    number of member scores
 * @param nonMembers number of non-member scores
 */
public record AucInterval(double auc, double low, double high, double stdError, int members, int nonMembers) {
    /** The two-sided 97.5% normal quantile. */
    public static final double Z95 = 1.959963984540054;

    /** AUC and DeLong interval of member scores {@code pos} against non-member scores {@code neg} (each >= 2). */
    public static AucInterval of(double[] pos, double[] neg) {
        int m = pos.length;
        int n = neg.length;
        if (m < 2 || n < 2) {
            throw new IllegalArgumentException("AUC needs >= 2 members and >= 2 non-members, got " + m + " and " + n);
        }
        for (double[] a : new double[][] {pos, neg}) {
            for (double x : a) {
                if (!Double.isFinite(x)) {
                    throw new IllegalArgumentException("attack scores must be finite, got " + x);
                }
            }
        }
        double[] sortedNeg = neg.clone();
        double[] sortedPos = pos.clone();
        Arrays.sort(sortedNeg);
        Arrays.sort(sortedPos);
        // V10[i]: share of non-members below member i (ties count half); V01[j]: share of members above non-member j.
        double[] v10 = new double[m];
        double[] v01 = new double[n];
        for (int i = 0; i < m; i++) {
            v10[i] = placement(sortedNeg, pos[i]) / n;
        }
        for (int j = 0; j < n; j++) {
            v01[j] = 1.0 - placement(sortedPos, neg[j]) / m;
        }
        double auc = Arrays.stream(v10).average().orElseThrow();
        double var = variance(v10, auc) / m + variance(v01, auc) / n;
        double se = Math.sqrt(var);
        return new AucInterval(auc, Math.max(0, auc - Z95 * se), Math.min(1, auc + Z95 * se), se, m, n);
    }

    /**
     * The mean of independent per-designer AUCs with {@code SE = sqrt(Σ SE_d²) / D}: the attack's
     * average success over designers.
     */
    public static AucInterval mean(List<AucInterval> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no AUCs to average");
        }
        double auc = parts.stream().mapToDouble(AucInterval::auc).average().orElseThrow();
        double se = Math.sqrt(parts.stream()
                        .mapToDouble(p -> p.stdError() * p.stdError())
                        .sum())
                / parts.size();
        return new AucInterval(
                auc,
                Math.max(0, auc - Z95 * se),
                Math.min(1, auc + Z95 * se),
                se,
                parts.stream().mapToInt(AucInterval::members).sum(),
                parts.stream().mapToInt(AucInterval::nonMembers).sum());
    }

    /** True when the whole interval is above chance. */
    public boolean aboveChance() {
        return low > 0.5;
    }

    /** Number of values in {@code sorted} below {@code x}, ties counted half. */
    private static double placement(double[] sorted, double x) {
        int below = lowerBound(sorted, x);
        int upTo = upperBound(sorted, x);
        return below + (upTo - below) / 2.0;
    }

    private static int lowerBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double variance(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return s / (v.length - 1);
    }
}
