package dev.atelier.core.strategy;

/**
 * Which nodes take part in a round and how many must answer.
 *
 * @param fraction           share of available nodes sampled per round, in (0, 1]
 * @param minAvailable       wait until at least this many nodes are available
 * @param minReplies         a round with fewer valid replies keeps the global model unchanged
 * @param maxFailureFraction a round whose failed share of sampled nodes exceeds this is not aggregated
 */
public record Sampling(double fraction, int minAvailable, int minReplies, double maxFailureFraction) {
    public Sampling {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("sampling fraction must be in (0, 1], got " + fraction);
        }
        if (minAvailable < 1 || minReplies < 1) {
            throw new IllegalArgumentException("minAvailable and minReplies must be >= 1");
        }
        if (minReplies > minAvailable) {
            throw new IllegalArgumentException(
                    "minReplies (" + minReplies + ") cannot exceed minAvailable (" + minAvailable + ")");
        }
        if (!(maxFailureFraction >= 0 && maxFailureFraction <= 1)) {
            throw new IllegalArgumentException("maxFailureFraction must be in [0, 1], got " + maxFailureFraction);
        }
    }

    /** Everyone, every round; tolerate up to half failing. */
    public static Sampling all(int nodes) {
        return new Sampling(1.0, nodes, 1, 0.5);
    }

    /** How many of {@code available} nodes to sample (at least minReplies, at most all). */
    public int sampleSize(int available) {
        int n = (int) Math.ceil(fraction * available);
        return Math.min(available, Math.max(n, minReplies));
    }
}
