package dev.atelier.zo.compare;

import java.util.Locale;

/**
 * Two models scored on the same test items: whether the second (e.g. ZO-federated) beats the
 * first (the zero-shot base LM) "by more than the confidence interval", in the two senses
 * docs/zo.md defines.
 *
 * <ul>
 *   <li>{@link #separated}: the second's 95% Wilson interval lies wholly above the first's (its
 *       lower bound exceeds the other's upper bound). Conservative: two independent intervals
 *       that just touch correspond to a difference significant well beyond 5%.
 *   <li>{@link #pValue}: McNemar's exact two-sided test on the discordant items ({@code gained}:
 *       right only for the second, {@code lost}: right only for the first), the paired test for
 *       two classifiers on one test set; {@code diffLow}/{@code diffHigh} are the 95% Wald interval
 *       of the paired accuracy difference.
 * </ul>
 *
 * Immutable.
 */
public record Paired(
        int items, int gained, int lost, double difference, double diffLow, double diffHigh, double pValue) {

    /** Compares the calibrated per-item correctness of the same test split (same order). */
    public static Paired of(TaskEval.Score first, TaskEval.Score second) {
        return of(first, second, TaskEval.Scorer.CALIBRATED);
    }

    /** Compares per-item correctness under {@code scorer} on the same test split (same order). */
    public static Paired of(TaskEval.Score first, TaskEval.Score second, TaskEval.Scorer scorer) {
        boolean[] a = first.correct(scorer);
        boolean[] b = second.correct(scorer);
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("paired scores need the same non-empty test split, got " + a.length
                    + " and " + b.length + " items");
        }
        int gained = 0;
        int lost = 0;
        for (int i = 0; i < a.length; i++) {
            gained += !a[i] && b[i] ? 1 : 0;
            lost += a[i] && !b[i] ? 1 : 0;
        }
        int n = a.length;
        double d = (gained - lost) / (double) n;
        double se = Math.sqrt(Math.max(0, (gained + lost) - (double) (gained - lost) * (gained - lost) / n)) / n;
        return new Paired(n, gained, lost, d, d - 1.959964 * se, d + 1.959964 * se, mcNemar(gained, lost));
    }

    /** Exact two-sided McNemar p-value: 2·P(X ≤ min(b, c)) for X ~ Binomial(b + c, 1/2), capped at 1. */
    static double mcNemar(int b, int c) {
        int m = b + c;
        if (m == 0) {
            return 1.0;
        }
        int k = Math.min(b, c);
        double logHalf = m * Math.log(0.5);
        double logChoose = 0; // log C(m, 0)
        double tail = 0;
        for (int i = 0; i <= k; i++) {
            if (i > 0) {
                logChoose += Math.log(m - i + 1) - Math.log(i);
            }
            tail += Math.exp(logChoose + logHalf);
        }
        return Math.min(1.0, 2 * tail);
    }

    /** Whether {@code second}'s calibrated 95% interval lies wholly above {@code first}'s. */
    public static boolean separated(TaskEval.Score first, TaskEval.Score second) {
        return separated(first, second, TaskEval.Scorer.CALIBRATED);
    }

    /** Whether {@code second}'s 95% interval under {@code scorer} lies wholly above {@code first}'s. */
    public static boolean separated(TaskEval.Score first, TaskEval.Score second, TaskEval.Scorer scorer) {
        return second.accuracy(scorer).low() > first.accuracy(scorer).high();
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%+.3f [%+.3f, %+.3f] over %d items (%d gained, %d lost), McNemar exact p = %.2g",
                difference,
                diffLow,
                diffHigh,
                items,
                gained,
                lost,
                pValue);
    }
}
