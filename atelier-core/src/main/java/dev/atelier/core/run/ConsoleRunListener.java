package dev.atelier.core.run;

import dev.atelier.core.util.Progress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints one line per round:
 * {@code round 3/20 | replies 8/8 | fit loss 0.412 accuracy 0.871 | eval test_accuracy 0.853 |
 * federated eval 8/8 loss 0.44 accuracy 0.86 | 2.1s | ETA 35s}, plus each failure with its reason,
 * and one line per attempt of a round that found too few nodes.
 */
public final class ConsoleRunListener implements RunListener {
    private final PrintStream out;
    private final String label;

    public ConsoleRunListener(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    @Override
    public void onRoundWaiting(int round, int attempt, int available, int required) {
        out.println((label.isEmpty() ? "" : label + " ") + "round " + round + " waiting for nodes: " + available
                + " of " + required + " available at the deadline (attempt " + attempt + "); trying the round again");
    }

    @Override
    public void onPersistFailed(int round, String file, int attempt, int attempts, java.io.IOException cause) {
        out.println((label.isEmpty() ? "" : label + " ") + "round " + round + ": cannot write " + file + " ("
                + cause + "), attempt " + attempt + " of " + attempts
                + (attempt < attempts ? "; retrying" : "; giving up"));
    }

    @Override
    public void onRoundEnd(RoundRecord r, int totalRounds, double etaSeconds) {
        StringBuilder sb = new StringBuilder();
        if (!label.isEmpty()) {
            sb.append(label).append(' ');
        }
        sb.append(String.format(
                Locale.ROOT, "round %d/%d | replies %d/%d", r.round(), totalRounds, r.replies(), r.sampled()));
        if (!r.aggregated()) {
            sb.append(" | NOT AGGREGATED (global model kept)");
        }
        if (!r.fit().isEmpty()) {
            sb.append(" | fit ").append(format(r.fit()));
        }
        if (!r.eval().isEmpty()) {
            sb.append(" | eval ").append(format(r.eval()));
        }
        r.federatedEval().ifPresent(fe -> {
            sb.append(" | federated eval ").append(fe.replies()).append('/').append(fe.sampled());
            if (!fe.metrics().isEmpty()) {
                sb.append(' ').append(format(fe.metrics()));
            }
        });
        r.privacy().ifPresent(p -> sb.append(" | ").append(p.summary()));
        sb.append(String.format(Locale.ROOT, " | %.1fs | ETA %s", r.seconds(), Progress.formatSeconds(etaSeconds)));
        out.println(sb);
        r.failures().forEach(f -> out.println("  " + f.nodeId() + " " + f.kind() + ": " + f.reason()));
        r.federatedEval()
                .ifPresent(fe -> fe.failures()
                        .forEach(f -> out.println("  " + f.nodeId() + " " + f.kind() + " (evaluate): " + f.reason())));
    }

    static String format(Map<String, Double> m) {
        return m.entrySet().stream()
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.4f", e.getValue()))
                .collect(Collectors.joining(" "));
    }
}
