package dev.atelier.core.privacy.secagg;

import dev.atelier.core.privacy.RandomBits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * SecAgg+'s sparse communication graph (Bell, Bonawitz, Gascón, Lepoint, Raykova 2020, "Secure
 * Single-Server Aggregation with (Poly)Logarithmic Overhead"): a Harary graph {@code H(k, n)} —
 * node {@code i} of a random ring order is joined to the {@code k/2} nodes before and after it —
 * on a uniformly random relabelling of the nodes. Each node shares its secrets among its
 * {@code k} neighbours and itself ({@code numShares = k + 1}, as Flower's SecAggPlusWorkflow
 * counts them) with {@code reconstructionThreshold = t}.
 *
 * <p>Unmasking needs, for every node, {@code t} live holders of its shares. With nodes dropping
 * independently with probability {@code d}, a dropped node's {@code k} neighbours are live
 * holders {@code Binomial(k, 1 - d)} times, so the round fails with probability at most
 * {@code n P[Binomial(k, 1 - d) < t]} (union bound, {@link #failureBound}). This is a
 * probabilistic guarantee for random dropouts, not a worst case: an adversary who chooses which
 * nodes drop can always make a round abort (never leak), which the server reports.
 * Immutable.
 */
public final class NeighbourGraph {
    private final Map<String, List<String>> neighbours;
    private final int k;

    private NeighbourGraph(Map<String, List<String>> neighbours, int k) {
        this.neighbours = neighbours;
        this.k = k;
    }

    /**
     * @param nodes the round's participants (distinct ids)
     * @param numShares {@code k + 1}, odd, at most the number of nodes (then the graph is complete)
     * @param random the permutation; any party may hold the seed (the graph is public)
     */
    public static NeighbourGraph harary(List<String> nodes, int numShares, RandomBits random) {
        int n = nodes.size();
        if (new TreeSet<>(nodes).size() != n) {
            throw new IllegalArgumentException("node ids must be distinct");
        }
        if (numShares < 3 || numShares % 2 == 0) {
            throw new IllegalArgumentException("numShares must be odd and >= 3, got " + numShares);
        }
        if (numShares > n) {
            throw new IllegalArgumentException("numShares " + numShares + " exceeds the " + n + " nodes of the round");
        }
        List<String> ring = new ArrayList<>(nodes);
        Collections.sort(ring); // canonical order, then a uniform shuffle (Fisher–Yates on secure bits)
        for (int i = n - 1; i > 0; i--) {
            Collections.swap(ring, i, (int) random.nextBelow(i + 1));
        }
        int half = (numShares - 1) / 2;
        Map<String, List<String>> nb = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            Set<String> set = new TreeSet<>();
            for (int o = 1; o <= half; o++) {
                set.add(ring.get((i + o) % n));
                set.add(ring.get(((i - o) % n + n) % n));
            }
            nb.put(ring.get(i), List.copyOf(set));
        }
        return new NeighbourGraph(Collections.unmodifiableMap(nb), numShares - 1);
    }

    /** The node's neighbours, sorted (not including itself). */
    public List<String> neighbours(String node) {
        List<String> l = neighbours.get(node);
        if (l == null) {
            throw new IllegalArgumentException("node " + node + " is not in this round's graph");
        }
        return l;
    }

    public Set<String> nodes() {
        return neighbours.keySet();
    }

    /** Neighbours per node ({@code numShares - 1}). */
    public int degree() {
        return k;
    }

    /**
     * Upper bound on the probability that some node has fewer than {@code t} live share holders
     * when each node drops independently with probability {@code dropout}:
     * {@code n * P[Binomial(k, 1 - dropout) < t]}, capped at 1.
     */
    public static double failureBound(int n, int numShares, int threshold, double dropout) {
        int kk = numShares - 1;
        double p = 1 - dropout;
        double tail = 0;
        for (int j = 0; j < threshold && j <= kk; j++) {
            tail += Math.exp(logChoose(kk, j) + j * Math.log(p) + (kk - j) * Math.log1p(-p));
        }
        return Math.min(1.0, n * tail);
    }

    private static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) {
            s += Math.log(n - k + i) - Math.log(i);
        }
        return s;
    }
}
