package dev.atelier.zo.zorba;

import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.run.ReplyLimits;
import java.util.Locale;
import java.util.Map;

/**
 * What a ZorBA node declares about itself at registration, in its node properties: its memory
 * budget ({@value #MEMORY_BUDGET}, bytes; {@code atelier node --memory-budget 2GiB}) and its
 * number of local training examples ({@value ReplyLimits#DECLARED_EXAMPLES}). Node-sent, so
 * parsed strictly: a missing or malformed value is reported, never guessed. Immutable.
 *
 * @param budgetBytes the memory the node may use for training, in bytes (≥ 0)
 * @param examples    its local training examples (≥ 0)
 */
public record Declared(long budgetBytes, long examples) {
    public static final String MEMORY_BUDGET = "memory_budget_bytes";

    public Declared {
        if (budgetBytes < 0 || examples < 0 || examples > 1_000_000_000L) {
            throw new IllegalArgumentException(
                    "budget " + budgetBytes + " and examples " + examples + " (≤ 1e9) must be non-negative");
        }
    }

    /** The node's properties as the registration carried them. */
    public Map<String, String> properties() {
        return Map.of(
                MEMORY_BUDGET, Long.toString(budgetBytes), ReplyLimits.DECLARED_EXAMPLES, Long.toString(examples));
    }

    /**
     * Reads a node's declaration.
     *
     * @throws IllegalArgumentException one line naming what is missing or malformed
     */
    public static Declared of(NodeInfo node) {
        return new Declared(
                number(node, MEMORY_BUDGET, "start the node with --memory-budget"),
                number(node, ReplyLimits.DECLARED_EXAMPLES, "the node declares its example count at start-up"));
    }

    private static long number(NodeInfo node, String key, String hint) {
        String v = node.properties().get(key);
        if (v == null) {
            throw new IllegalArgumentException("declared no " + key + " (" + hint + ")");
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + v + "' is not a non-negative integer");
        }
    }

    /**
     * Parses a byte size: a number with an optional binary or decimal unit (B, KiB, MiB, GiB, TiB,
     * KB, MB, GB, TB; case-insensitive), e.g. {@code 2GiB}, {@code 512MiB}, {@code 1500000000}.
     */
    public static long parseBytes(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a byte size such as 2GiB or 512MiB");
        }
        double v;
        try {
            v = Double.parseDouble(t.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a byte size such as 2GiB or 512MiB");
        }
        long unit = switch (t.substring(i).trim()) {
            case "", "b" -> 1L;
            case "kib", "k" -> 1L << 10;
            case "mib", "m" -> 1L << 20;
            case "gib", "g" -> 1L << 30;
            case "tib", "t" -> 1L << 40;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            default -> throw new IllegalArgumentException("unknown byte unit in '" + text + "' (use B, KiB, MiB, GiB)");
        };
        double bytes = v * unit;
        if (!(bytes >= 0) || bytes > (double) (1L << 50)) {
            throw new IllegalArgumentException("byte size '" + text + "' is out of range");
        }
        return Math.round(bytes);
    }
}
