package dev.atelier.zo.fed;

import dev.atelier.core.aggregate.Aggregator;
import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One round's FedKSeed merge: decodes each reply's (seed index, g) pairs ({@link ScalarPairs}),
 * refuses an index the node was not assigned this round, and returns per (seed, block mask)
 * example-weighted scalars G = Σ_c n_c·g_c / Σ_c n_c (n over all accepted nodes, so a seed's
 * weight does not depend on who else drew it) as a {@link RoundUpdate} in {@link UpdateLog}'s tensor
 * encoding. Each node's mask is the one the coordinator assigned it ({@link BlockMask#FULL} under
 * FedKSeed), never anything the node sent. Replies are summed in node-id order at {@link #result}, so G does not depend on the
 * order replies arrived in. O(nodes × steps) memory. Thread-safe.
 */
final class SeedScalarAggregator implements Aggregator {
    private record Contribution(long examples, long mask, List<ScalarPairs.Pair> pairs) {}

    private record Key(int index, long mask) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return index != o.index ? Integer.compare(index, o.index) : Long.compare(mask, o.mask);
        }
    }

    private final int round;
    private final SeedPool pool;
    private final ZoFedSettings settings;
    private final Map<String, Set<Integer>> assigned;
    private final Map<String, Long> masks;
    private final TreeMap<String, Contribution> byNode = new TreeMap<>();

    /** @param assigned node id → the pool indices it was assigned this round */
    SeedScalarAggregator(int round, SeedPool pool, ZoFedSettings settings, Map<String, Set<Integer>> assigned) {
        this(round, pool, settings, assigned, Map.of());
    }

    /** @param masks node id → its block mask this round (absent: {@link BlockMask#FULL}) */
    SeedScalarAggregator(
            int round,
            SeedPool pool,
            ZoFedSettings settings,
            Map<String, Set<Integer>> assigned,
            Map<String, Long> masks) {
        this.round = round;
        this.pool = pool;
        this.settings = settings;
        this.assigned = Map.copyOf(assigned);
        this.masks = Map.copyOf(masks);
    }

    @Override
    public void accept(Reply reply) throws RejectedPayloadException {
        Set<Integer> mine = assigned.get(reply.nodeId());
        if (mine == null) {
            throw new RejectedPayloadException("node " + reply.nodeId() + " was assigned no seeds in round " + round);
        }
        if (!reply.params().isEmpty()) {
            throw new RejectedPayloadException("a zo reply carries (seed, scalar) pairs only, got "
                    + reply.params().size() + " tensors");
        }
        List<ScalarPairs.Pair> pairs;
        try {
            pairs = ScalarPairs.decode(reply.payload(), pool.k(), settings.maxAbsG(), mine.size());
        } catch (IllegalArgumentException e) {
            throw new RejectedPayloadException(e.getMessage());
        }
        if (pairs.isEmpty()) {
            throw new RejectedPayloadException("reply holds no (seed, scalar) pair");
        }
        for (ScalarPairs.Pair p : pairs) {
            if (!mine.contains(p.index())) {
                throw new RejectedPayloadException(
                        "seed index " + p.index() + " was not assigned to " + reply.nodeId() + " in round " + round);
            }
        }
        synchronized (this) {
            byNode.put(
                    reply.nodeId(),
                    new Contribution(reply.numExamples(), masks.getOrDefault(reply.nodeId(), BlockMask.FULL), pairs));
        }
    }

    @Override
    public synchronized int accepted() {
        return byNode.size();
    }

    /** The nodes whose replies were folded in. */
    synchronized Set<String> acceptedNodes() {
        return Set.copyOf(byNode.keySet());
    }

    @Override
    public ParamSet result() {
        return UpdateLog.encode(List.of(update()));
    }

    /** The merged update of this round. */
    synchronized RoundUpdate update() {
        if (byNode.isEmpty()) {
            throw new IllegalStateException("no reply was accepted in round " + round);
        }
        double total = 0;
        for (Contribution c : byNode.values()) {
            total += c.examples();
        }
        TreeMap<Key, Double> sums = new TreeMap<>();
        for (Contribution c : byNode.values()) {
            double w = c.examples() / total;
            for (ScalarPairs.Pair p : c.pairs()) {
                sums.merge(new Key(p.index(), c.mask()), w * p.g(), Double::sum);
            }
        }
        int[] idx = new int[sums.size()];
        long[] mask = new long[sums.size()];
        double[] g = new double[sums.size()];
        int i = 0;
        for (var e : sums.entrySet()) {
            idx[i] = e.getKey().index();
            mask[i] = e.getKey().mask();
            g[i++] = e.getValue();
        }
        return new RoundUpdate(round, idx, mask, g);
    }
}
