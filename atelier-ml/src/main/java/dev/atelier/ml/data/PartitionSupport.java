package dev.atelier.ml.data;

import java.util.Arrays;

/**
 * Shared argument checks and assembly steps of the built-in {@link Partitioner}s.
 *
 * <p>Thread-safety: stateless.
 */
final class PartitionSupport {

    private PartitionSupport() {}

    /**
     * Checks labels and node count and returns the number of classes ({@code max(label) + 1}).
     *
     * @param minPerNode examples each node must be able to receive
     */
    static int check(int[] labels, int numNodes, int minPerNode, String spec) {
        if (numNodes < 1) {
            throw new IllegalArgumentException(spec + ": number of nodes must be >= 1, got " + numNodes);
        }
        long needed = (long) numNodes * minPerNode;
        if (labels.length < needed) {
            throw new IllegalArgumentException(spec + " cannot give " + numNodes + " nodes at least "
                    + minPerNode + " example" + (minPerNode == 1 ? "" : "s") + " each from " + labels.length
                    + " examples; use fewer nodes or more data");
        }
        int max = -1;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException(spec + ": label " + labels[i] + " at index " + i + " is negative");
            }
            max = Math.max(max, labels[i]);
        }
        return max + 1;
    }

    /** Indices of each class, ascending; entry {@code c} holds the indices whose label is {@code c}. */
    static int[][] indicesByLabel(int[] labels, int numClasses) {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        int[][] out = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            out[c] = new int[counts[c]];
        }
        int[] fill = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            out[labels[i]][fill[labels[i]]++] = i;
        }
        return out;
    }

    /** {@code n} split into {@code parts} sizes that differ by at most one, larger ones first. */
    static int[] equalSizes(int n, int parts) {
        int[] sizes = new int[parts];
        for (int p = 0; p < parts; p++) {
            sizes[p] = n / parts + (p < n % parts ? 1 : 0);
        }
        return sizes;
    }

    /** Gives node {@code j} the next {@code sizes[j]} entries of {@code order}. */
    static Partition cut(int[] order, int[] sizes) {
        int[][] nodes = new int[sizes.length][];
        int from = 0;
        for (int j = 0; j < sizes.length; j++) {
            nodes[j] = Arrays.copyOfRange(order, from, from + sizes[j]);
            from += sizes[j];
        }
        if (from != order.length) {
            throw new IllegalStateException("sizes sum to " + from + " but there are " + order.length + " examples");
        }
        return Partition.of(nodes);
    }

    /** Builds a partition from {@code owner[i]} = node of example {@code i}. */
    static Partition fromOwners(int[] owner, int numNodes) {
        return Partition.of(indicesByLabel(owner, numNodes)); // grouping by owner is grouping by label
    }
}
