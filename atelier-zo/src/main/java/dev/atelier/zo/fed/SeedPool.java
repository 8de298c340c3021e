package dev.atelier.zo.fed;

import dev.atelier.core.util.Seeds;
import java.util.SplittableRandom;

/**
 * The public pool of {@code k} candidate seeds of one federation (FedKSeed): seed {@code i} is
 * {@code Seeds.derive(poolSeed, "zo-seed", i)}, and the pool seed itself derives from the run's seed
 * ({@link #forRun}). The coordinator assigns each node the pool indices it trains on in a round
 * ({@link #assign}), in the open: the assignment travels in the instruction's config, so any party
 * (and a later secure aggregation of the scalars) knows which seed every scalar belongs to. On the
 * wire a seed is its index, 2 bytes. Immutable and thread-safe.
 *
 * @param poolSeed the seed every pool seed derives from
 * @param k        pool size, in [1, {@link #MAX_K}]
 */
public record SeedPool(long poolSeed, int k) {
    /** Indices travel as unsigned 16-bit numbers. */
    public static final int MAX_K = 1 << 16;

    public SeedPool {
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("seed pool size k must be in [1, " + MAX_K + "], got " + k);
        }
    }

    /** The pool of a run: its seed is derived from the run's seed. */
    public static SeedPool forRun(long runSeed, int k) {
        return new SeedPool(Seeds.derive(runSeed, "zo-seed-pool", ""), k);
    }

    /** The 64-bit seed of pool index {@code index}. */
    public long seed(int index) {
        if (index < 0 || index >= k) {
            throw new IllegalArgumentException("seed index " + index + " is outside the pool [0, " + k + ")");
        }
        return Seeds.derive(poolSeed, "zo-seed", Integer.toString(index));
    }

    /**
     * The {@code count} distinct pool indices node {@code nodeId} trains on in {@code round}, in
     * step order: a partial Fisher–Yates shuffle of [0, k) seeded by (pool seed, round, node id),
     * so the same on every machine and independent of which other nodes were sampled.
     */
    public int[] assign(int round, String nodeId, int count) {
        if (count < 1 || count > k) {
            throw new IllegalArgumentException(
                    "cannot assign " + count + " distinct seeds from a pool of " + k + " (local_steps must be <= k)");
        }
        SplittableRandom rng = new SplittableRandom(Seeds.derive(poolSeed, "zo-assign", round + "/" + nodeId));
        // Sparse Fisher-Yates: only the touched positions of the virtual array [0, k) are stored.
        java.util.HashMap<Integer, Integer> swapped = new java.util.HashMap<>();
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(k - i);
            int atJ = swapped.getOrDefault(j, j);
            int atI = swapped.getOrDefault(i, i);
            out[i] = atJ;
            swapped.put(j, atI);
        }
        return out;
    }
}
