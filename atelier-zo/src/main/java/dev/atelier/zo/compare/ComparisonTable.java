package dev.atelier.zo.compare;

import java.util.Locale;

/**
 * The comparison as a Markdown table, one row per method: test accuracy with its 95% Wilson
 * interval, test loss (nats per label), client peak memory (MiB, with how it was measured) and
 * upload bytes per store per round. Stateless.
 */
public final class ComparisonTable {
    public static final String HEADER =
            "| method | test accuracy [95% CI] | test loss | client peak memory | upload bytes / store / round |";

    private ComparisonTable() {}

    public static String format(Comparison.Result r) {
        StringBuilder b = new StringBuilder();
        b.append(HEADER).append('\n').append("|---|---|---|---|---|\n");
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
                    "| %s | %.3f [%.3f, %.3f] (%d/%d) | %.4f | %s | %s |%n",
                    row.method(),
                    a.value(),
                    a.low(),
                    a.high(),
                    a.correct(),
                    a.n(),
                    row.score().loss(),
                    mem,
                    up));
        }
        return b.toString();
    }
}
