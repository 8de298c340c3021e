package dev.atelier.ml.data;

import java.util.SplittableRandom;

/**
 * IID partition: the examples are shuffled with the seed and cut into {@code numNodes} contiguous
 * chunks whose sizes differ by at most one, so every node sees roughly the global label distribution.
 * Spec: {@code iid}.
 */
public record IidPartitioner() implements Partitioner {

    @Override
    public Partition partition(int[] labels, int numNodes, long seed) {
        PartitionSupport.check(labels, numNodes, 1, spec());
        int[] order = PortableRandom.permutation(labels.length, new SplittableRandom(seed));
        return PartitionSupport.cut(order, PartitionSupport.equalSizes(labels.length, numNodes));
    }

    @Override
    public String spec() {
        return "iid";
    }
}
