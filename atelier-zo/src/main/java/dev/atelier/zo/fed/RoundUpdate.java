package dev.atelier.zo.fed;

import java.util.Arrays;

/**
 * The global-model update of one round: per (pool index, {@link BlockMask}) that any node trained
 * on, the example-weighted scalar G = Σ_c (n_c / Σn) · g_c over the nodes c that used that seed
 * with that mask. Every party applies it the same way ({@link Replay}): θ ← θ − lr·G·z(seed)
 * restricted to the mask's tensors, entries in increasing (index, mask) order. FedKSeed's masks
 * are all {@link BlockMask#FULL}; ZorBA's are each node's active blocks. A round that was not
 * aggregated has no update (and no RoundUpdate). Immutable.
 *
 * @param round   the round it ends
 * @param indices pool indices, non-decreasing; (index, mask) strictly increasing
 * @param masks   the block mask of each entry, each ≥ 0
 * @param g       the scalar of each entry, finite
 */
public record RoundUpdate(int round, int[] indices, long[] masks, double[] g) {
    public RoundUpdate {
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1, got " + round);
        }
        if (indices.length != g.length || masks.length != g.length) {
            throw new IllegalArgumentException(
                    indices.length + " indices, " + masks.length + " masks but " + g.length + " scalars");
        }
        for (int i = 0; i < indices.length; i++) {
            boolean ordered =
                    i == 0 || indices[i] > indices[i - 1] || (indices[i] == indices[i - 1] && masks[i] > masks[i - 1]);
            if (indices[i] < 0 || masks[i] < 0 || !ordered) {
                throw new IllegalArgumentException("round " + round + ": (seed index, mask) pairs must be >= 0 and"
                        + " strictly increasing, got " + Arrays.toString(indices) + " / " + Arrays.toString(masks));
            }
            if (!Double.isFinite(g[i])) {
                throw new IllegalArgumentException("round " + round + ": scalar of seed " + indices[i] + " is " + g[i]);
            }
        }
        indices = indices.clone();
        masks = masks.clone();
        g = g.clone();
    }

    /** A full-model update (every mask {@link BlockMask#FULL}): FedKSeed's. */
    public RoundUpdate(int round, int[] indices, double[] g) {
        this(round, indices, new long[indices.length], g);
    }

    @Override
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public long[] masks() {
        return masks.clone();
    }

    @Override
    public double[] g() {
        return g.clone();
    }

    public int size() {
        return indices.length;
    }

    /** Whether every entry is full-model (the FedKSeed encoding, without a mask tensor). */
    public boolean allFull() {
        for (long m : masks) {
            if (m != BlockMask.FULL) {
                return false;
            }
        }
        return true;
    }

    int index(int i) {
        return indices[i];
    }

    long mask(int i) {
        return masks[i];
    }

    double scalar(int i) {
        return g[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoundUpdate u
                && u.round == round
                && Arrays.equals(u.indices, indices)
                && Arrays.equals(u.masks, masks)
                && Arrays.equals(u.g, g);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * round + Arrays.hashCode(indices)) + Arrays.hashCode(masks)) + Arrays.hashCode(g);
    }

    @Override
    public String toString() {
        return "RoundUpdate[round " + round + ", " + indices.length + " seeds]";
    }
}
