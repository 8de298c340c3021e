package dev.atelier.zo.compare;

import java.util.Locale;

/**
 * The comparison as a Markdown table, one row per method: test accuracy (calibrated) with its 95%
 * Wilson interval, the uncalibrated accuracy, how many labels the predictions use and what share
 * of them is the training majority's label (a run that learns only the prior predicts one label),
 * test loss (nats per label), client peak memory (MiB, with how it was measured) and upload bytes
 * per store per round; then the always-majority predictor's accuracy. Stateless.
 */
public final class ComparisonTable {
    public static final String HEADER =
            "| method | test accuracy [95% CI] | uncalibrated | labels predicted | = majority | test loss"
                    + " | client peak memory | upload bytes / store / round |";

    private ComparisonTable() {}

    public static String format(Comparison.Result r) {
        StringBuilder b = new StringBuilder();
        b.append(HEADER).append('\n').append("|---|---|---|---|---|---|---|---|\n");
        for (Comparison.Row row : r.rows()) {
            var a = row.score().accuracy();
            String mem = row.peakMemoryBytes() < 0
                    ? row.memorySource()
                    : String.format(
                            Locale.ROOT, "%.1f MiB (%s)", row.peakMemoryBytes() / 1048576.0, row.memorySource());
            String up = row.uploadBytes() == 0
                    ? "0"
                    : String.format(Locale.ROOT, "%.0f (%s)", row.uploadBytes(), row.uploadSource());
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %.3f [%.3f, %.3f] (%d/%d) | %.3f | %d | %.2f | %.4f | %s | %s |%n",
                    row.method(),
                    a.value(),
                    a.low(),
                    a.high(),
                    a.correct(),
                    a.n(),
                    row.score().rawAccuracy().value(),
                    row.score().distinctPredicted(),
                    row.score().shareOf(r.majorityLabel()),
                    row.score().loss(),
                    mem,
                    up));
        }
        var m = r.majority();
        b.append(String.format(
                Locale.ROOT,
                "always the training majority (label %d): %.3f [%.3f, %.3f] (%d/%d)%n",
                r.majorityLabel(),
                m.value(),
                m.low(),
                m.high(),
                m.correct(),
                m.n()));
        return b.toString();
    }
}
