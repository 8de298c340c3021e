package dev.atelier.zo.fed;

import java.util.Arrays;

/**
 * The global-model update of one round: per pool index that any node trained on, the
 * example-weighted scalar G_s = Σ_c (n_c / Σn) · g_{c,s}. Every party applies it the same way
 * ({@link Replay}): θ ← θ − lr·G_s·z(seed_s) for s in increasing index order. A round that was
 * not aggregated has no update (and no RoundUpdate). Immutable.
 *
 * @param round   the round it ends
 * @param indices pool indices, strictly increasing
 * @param g       the scalar of each index, finite
 */
public record RoundUpdate(int round, int[] indices, double[] g) {
    public RoundUpdate {
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1, got " + round);
        }
        if (indices.length != g.length) {
            throw new IllegalArgumentException(indices.length + " indices but " + g.length + " scalars");
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || (i > 0 && indices[i] <= indices[i - 1])) {
                throw new IllegalArgumentException("round " + round + ": seed indices must be >= 0 and strictly"
                        + " increasing, got " + Arrays.toString(indices));
            }
            if (!Double.isFinite(g[i])) {
                throw new IllegalArgumentException("round " + round + ": scalar of seed " + indices[i] + " is " + g[i]);
            }
        }
        indices = indices.clone();
        g = g.clone();
    }

    @Override
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public double[] g() {
        return g.clone();
    }

    public int size() {
        return indices.length;
    }

    int index(int i) {
        return indices[i];
    }

    double scalar(int i) {
        return g[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoundUpdate u
                && u.round == round
                && Arrays.equals(u.indices, indices)
                && Arrays.equals(u.g, g);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * round + Arrays.hashCode(indices)) + Arrays.hashCode(g);
    }

    @Override
    public String toString() {
        return "RoundUpdate[round " + round + ", " + indices.length + " seeds]";
    }
}
