package dev.atelier.ml.data;

import java.util.Arrays;
import java.util.List;

/**
 * The result of a {@link Partitioner}: for each node, the indices (into the label array that was
 * partitioned) of the examples it holds.
 *
 * <p>Indices within a node are sorted ascending; nodes are numbered {@code 0..numNodes()-1}. A
 * partition produced by the built-in partitioners is disjoint and covers every index exactly once.
 *
 * <p>Thread-safety: immutable; accessors return copies.
 */
public final class Partition {

    private final int[][] nodes;

    private Partition(int[][] nodes) {
        this.nodes = nodes;
    }

    /** A partition from per-node index arrays (copied and sorted). */
    public static Partition of(int[][] nodeIndices) {
        int[][] copy = new int[nodeIndices.length][];
        for (int n = 0; n < copy.length; n++) {
            copy[n] = nodeIndices[n].clone();
            Arrays.sort(copy[n]);
        }
        return new Partition(copy);
    }

    public int numNodes() {
        return nodes.length;
    }

    /** Indices held by {@code node}, ascending (a copy). */
    public int[] indices(int node) {
        return nodes[node].clone();
    }

    /** Number of examples held by {@code node}. */
    public int size(int node) {
        return nodes[node].length;
    }

    /** Number of examples per node. */
    public int[] sizes() {
        int[] s = new int[nodes.length];
        for (int n = 0; n < nodes.length; n++) {
            s[n] = nodes[n].length;
        }
        return s;
    }

    /** Total number of examples over all nodes. */
    public int totalSize() {
        return Arrays.stream(nodes).mapToInt(a -> a.length).sum();
    }

    /**
     * Per-node, per-label counts, for logs ({@link PartitionSummary#toTable()}) and JSON reports.
     *
     * @param labels the label array that was partitioned
     * @param classNames names of the labels; its size fixes the number of label columns
     */
    public PartitionSummary describe(int[] labels, List<String> classNames) {
        int[][] counts = new int[nodes.length][classNames.size()];
        for (int n = 0; n < nodes.length; n++) {
            for (int i : nodes[n]) {
                int label = labels[i];
                if (label < 0 || label >= classNames.size()) {
                    throw new IllegalArgumentException("label " + label + " of example " + i + " has no name among the "
                            + classNames.size() + " class names");
                }
                counts[n][label]++;
            }
        }
        return PartitionSummary.of(classNames, counts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Partition other && Arrays.deepEquals(nodes, other.nodes);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(nodes);
    }

    @Override
    public String toString() {
        return "Partition" + Arrays.toString(sizes());
    }
}
