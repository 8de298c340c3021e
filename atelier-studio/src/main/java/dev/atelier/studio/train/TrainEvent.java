package dev.atelier.studio.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line the training child process writes to its stdout, {@value #PREFIX} + JSON, and the
 * studio relays to the page (server-sent events).
 *
 * @param kind {@code progress} (a training step), {@code prepare} (the one-off public feature
 *     network before the first step; done/total are its own steps), {@code done} or {@code failed}
 * @param done steps done
 * @param total steps planned
 * @param seconds elapsed wall time
 * @param etaSeconds estimated seconds left (NaN when unknown)
 * @param l1 the last step's pixel L1 loss (NaN when unknown)
 * @param message free text: the error of {@code failed}, a summary for {@code done}
 */
public record TrainEvent(
        String kind, long done, long total, double seconds, double etaSeconds, double l1, String message) {
    public static final String PREFIX = "ATELIER-TRAIN ";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * {@code core.util.Progress}'s line, the only hook {@code LocalTraining} gives per step:
     * {@code label [###---]  50% 150/300 12.3s ETA 12s l1 0.112 gram 4.1e-04}.
     */
    private static final Pattern PROGRESS =
            Pattern.compile("\\] +\\d+% (\\d+)/(\\d+) ([0-9.]+)s(?: ETA \\S+)?(?:.*?\\bl1 ([0-9.]+))?");

    public static TrainEvent failed(String message) {
        return new TrainEvent("failed", 0, 0, 0, Double.NaN, Double.NaN, message);
    }

    /** {@code e} as a {@code prepare} event of the work called {@code what}. */
    public static TrainEvent prepare(TrainEvent e, String what) {
        return new TrainEvent(
                "prepare",
                e.done(),
                e.total(),
                e.seconds(),
                e.etaSeconds(),
                Double.NaN,
                "preparing " + what + " (once per studio): " + e.done() + "/" + e.total());
    }

    /** The event of one {@code Progress} line, or null when the line is not one. */
    public static TrainEvent fromProgressLine(String line) {
        Matcher m = PROGRESS.matcher(line);
        if (!m.find()) {
            return null;
        }
        long done = Long.parseLong(m.group(1));
        long total = Long.parseLong(m.group(2));
        double secs = Double.parseDouble(m.group(3));
        double eta = done == 0 ? Double.NaN : secs / done * (total - done);
        double l1 = m.group(4) == null ? Double.NaN : Double.parseDouble(m.group(4));
        return new TrainEvent("progress", done, total, secs, eta, l1, "");
    }

    public String toLine() {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", kind);
        n.put("done", done);
        n.put("total", total);
        n.put("seconds", seconds);
        if (!Double.isNaN(etaSeconds)) {
            n.put("eta", etaSeconds);
        }
        if (!Double.isNaN(l1)) {
            n.put("l1", l1);
        }
        n.put("message", message);
        return PREFIX + n;
    }

    /** Parses a child line; null for any other output (logs). Values are range-checked. */
    public static TrainEvent parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(line.substring(PREFIX.length()));
            String kind = n.path("kind").asText();
            if (!List.of("progress", "prepare", "done", "failed").contains(kind)) {
                return null;
            }
            long done = Math.max(0, n.path("done").asLong());
            long total = Math.max(done, n.path("total").asLong());
            String msg = n.path("message").asText("");
            return new TrainEvent(
                    kind,
                    done,
                    total,
                    Math.max(0, n.path("seconds").asDouble()),
                    n.has("eta") ? Math.max(0, n.path("eta").asDouble()) : Double.NaN,
                    n.has("l1") ? n.path("l1").asDouble() : Double.NaN,
                    msg.length() > 2000 ? msg.substring(0, 2000) : msg);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** JSON for the page. */
    public String toJson() {
        return toLine().substring(PREFIX.length());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %d/%d", kind, done, total);
    }
}
