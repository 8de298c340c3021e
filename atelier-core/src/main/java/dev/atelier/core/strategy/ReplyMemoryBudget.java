package dev.atelier.core.strategy;

import java.util.Locale;

/**
 * The memory a coordinator grants a strategy for holding one round's replies, checked before the
 * first round so that a robust strategy never breaks the O(model) promise silently.
 *
 * <p>Streaming strategies (FedAvg, FedProx, FedAdam, FedYogi) keep one running sum, O(model),
 * and always fit. Strategies that {@linkplain Strategy#holdsEveryReply() hold every reply}
 * (median, trimmed mean, Krum) keep one {@code float[d]} per reply until the round ends
 * ({@code CollectingAggregator}): {@code replies × d × 4} bytes for a d-element model. Immutable.
 *
 * @param bytes the budget in bytes, {@code > 0}
 */
public record ReplyMemoryBudget(long bytes) {
    /** Default share of the JVM's maximum heap ({@code -Xmx}): the rest holds models and buffers. */
    public static final double DEFAULT_HEAP_FRACTION = 0.5;

    /** Bytes held per model element per reply: one float32. */
    public static final int BYTES_PER_ELEMENT = Float.BYTES;

    public ReplyMemoryBudget {
        if (bytes <= 0) {
            throw new IllegalArgumentException("memory budget must be > 0 bytes, got " + bytes);
        }
    }

    /** {@code fraction} of this JVM's maximum heap. */
    public static ReplyMemoryBudget ofHeap(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("heap fraction must be in (0, 1], got " + fraction);
        }
        return new ReplyMemoryBudget(Math.max(1, (long) (Runtime.getRuntime().maxMemory() * fraction)));
    }

    /** {@link #DEFAULT_HEAP_FRACTION} of this JVM's maximum heap. */
    public static ReplyMemoryBudget ofHeap() {
        return ofHeap(DEFAULT_HEAP_FRACTION);
    }

    /** Megabytes (2^20 bytes), as in config files. */
    public static ReplyMemoryBudget ofMegabytes(long megabytes) {
        if (megabytes <= 0 || megabytes > Long.MAX_VALUE >> 20) {
            throw new IllegalArgumentException("memory budget must be > 0 MB, got " + megabytes);
        }
        return new ReplyMemoryBudget(megabytes << 20);
    }

    /**
     * Bytes {@code strategy} holds for one round of {@code replies} replies of a model with
     * {@code modelElements} elements; 0 for a streaming strategy. Saturates at
     * {@link Long#MAX_VALUE}.
     */
    public static long heldBytes(Strategy strategy, int replies, long modelElements) {
        if (!strategy.holdsEveryReply()) {
            return 0;
        }
        try {
            return Math.multiplyExact(Math.multiplyExact((long) replies, modelElements), BYTES_PER_ELEMENT);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Refuses a strategy that would hold more than the budget.
     *
     * @param replies       the most replies one round can bring (the expected sample size)
     * @param modelElements elements of the global model
     * @throws IllegalArgumentException one line: the strategy, the arithmetic and what to change
     */
    public void check(Strategy strategy, int replies, long modelElements) {
        long held = heldBytes(strategy, replies, modelElements);
        if (held > bytes) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "strategy %s holds every reply until the round ends: %d replies x %d elements x %d bytes"
                            + " = %s, over the memory budget of %s; raise the budget (and -Xmx), sample fewer"
                            + " nodes, or use a streaming strategy (fedavg, fedprox, fedadam, fedyogi)",
                    strategy.name(),
                    replies,
                    modelElements,
                    BYTES_PER_ELEMENT,
                    megabytes(held),
                    megabytes(bytes)));
        }
    }

    private static String megabytes(long b) {
        return b == Long.MAX_VALUE ? "more than 8 EB" : String.format(Locale.ROOT, "%.1f MB", b / 1048576.0);
    }
}
