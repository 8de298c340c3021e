package dev.atelier.zo.train;

/**
 * One zeroth-order step as it travels: the step's seed and its projected gradient
 * g = (L+ − L−) / (2ε). Together with the learning rate it determines the update
 * θ ← θ − lr·g·z(seed) on every machine ({@link ZoUpdate}). {@code g} must be finite.
 */
public record SeedScalar(long seed, double g) {
    public SeedScalar {
        if (!Double.isFinite(g)) {
            throw new IllegalArgumentException("projected gradient of seed " + seed + " is not finite: " + g);
        }
    }
}
