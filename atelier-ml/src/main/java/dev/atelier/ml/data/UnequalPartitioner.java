package dev.atelier.ml.data;

import java.util.SplittableRandom;

/**
 * IID labels but unequal node sizes: node {@code j} gets a weight {@code exp(sigma * z_j)} with
 * {@code z_j ~ N(0, 1)} (log-normal sizes), and the examples beyond one per node are apportioned in
 * proportion to the weights (largest remainder), so every node holds at least one example. The
 * shuffled examples are then cut into chunks of those sizes. {@code sigma = 0} gives equal sizes; with
 * {@code sigma = 1.5} the largest of 10 nodes is typically tens of times the smallest. Spec: {@code
 * unequal:SIGMA}.
 *
 * @param sigma standard deviation of the log sizes, finite and {@code >= 0}
 */
public record UnequalPartitioner(double sigma) implements Partitioner {

    public UnequalPartitioner {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("unequal sigma must be a finite number >= 0, got " + sigma);
        }
    }

    @Override
    public Partition partition(int[] labels, int numNodes, long seed) {
        PartitionSupport.check(labels, numNodes, 1, spec());
        SplittableRandom rng = new SplittableRandom(seed);
        double[] weights = new double[numNodes];
        double maxLog = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < numNodes; j++) {
            weights[j] = sigma * PortableRandom.gaussian(rng);
            maxLog = Math.max(maxLog, weights[j]);
        }
        for (int j = 0; j < numNodes; j++) {
            weights[j] = Math.exp(weights[j] - maxLog); // scaled so large sigma cannot overflow
        }
        int[] sizes = LargestRemainder.apportion(weights, labels.length - numNodes);
        for (int j = 0; j < numNodes; j++) {
            sizes[j]++;
        }
        int[] order = PortableRandom.permutation(labels.length, rng);
        return PartitionSupport.cut(order, sizes);
    }

    @Override
    public String spec() {
        return "unequal:" + sigma;
    }
}
