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
 * refuses an index the node was not assigned this round, and returns per-seed example-weighted
 * scalars G_s = Σ_c n_c·g_{c,s} / Σ_c n_c as a {@link RoundUpdate} in {@link UpdateLog}'s tensor
 * encoding. Replies are summed in node-id order at {@link #result}, so G does not depend on the
 * order replies arrived in. O(nodes × steps) memory. Thread-safe.
 */
final class SeedScalarAggregator implements Aggregator {
    private record Contribution(long examples, List<ScalarPairs.Pair> pairs) {}

    private final int round;
    private final SeedPool pool;
    private final ZoFedSettings settings;
    private final Map<String, Set<Integer>> assigned;
    private final TreeMap<String, Contribution> byNode = new TreeMap<>();

    /** @param assigned node id → the pool indices it was assigned this round */
    SeedScalarAggregator(int round, SeedPool pool, ZoFedSettings settings, Map<String, Set<Integer>> assigned) {
        this.round = round;
        this.pool = pool;
        this.settings = settings;
        this.assigned = Map.copyOf(assigned);
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
            byNode.put(reply.nodeId(), new Contribution(reply.numExamples(), pairs));
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
        TreeMap<Integer, Double> sums = new TreeMap<>();
        for (Contribution c : byNode.values()) {
            double w = c.examples() / total;
            for (ScalarPairs.Pair p : c.pairs()) {
                sums.merge(p.index(), w * p.g(), Double::sum);
            }
        }
        int[] idx = new int[sums.size()];
        double[] g = new double[sums.size()];
        int i = 0;
        for (var e : sums.entrySet()) {
            idx[i] = e.getKey();
            g[i++] = e.getValue();
        }
        return new RoundUpdate(round, idx, g);
    }
}
