package dev.atelier.ml.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Label-skewed partition by per-class Dirichlet proportions (the scheme of Hsu et al. 2019, as in
 * Flower's {@code DirichletPartitioner}): for every class {@code c}, draw proportions {@code p ~
 * Dirichlet(alpha, ..., alpha)} over the nodes, shuffle that class's examples and give node {@code j}
 * the slice between {@code floor(len * (p_0 + ... + p_{j-1}))} and {@code floor(len * (p_0 + ... +
 * p_j))}.
 *
 * <p>Small {@code alpha} (e.g. 0.1) makes most nodes hold a few dominant labels; large {@code alpha}
 * (e.g. 100) approaches IID. If some node ends up with fewer than {@code minSize} examples the whole
 * draw is repeated, continuing the same seeded random stream, at most {@value #MAX_ATTEMPTS} times, so
 * the result is still a pure function of the seed. Node sizes are not equalised. Spec: {@code
 * dirichlet:ALPHA} or {@code dirichlet:ALPHA:MIN_SIZE}.
 *
 * @param alpha Dirichlet concentration, finite and {@code > 0}
 * @param minSize minimum examples per node, {@code >= 1}
 */
public record DirichletPartitioner(double alpha, int minSize) implements Partitioner {

    /** Minimum node size when the spec does not give one (Flower's default too). */
    public static final int DEFAULT_MIN_SIZE = 10;

    /** Draws tried before giving up on {@code minSize}. */
    public static final int MAX_ATTEMPTS = 1000;

    public DirichletPartitioner {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("dirichlet alpha must be a finite number > 0, got " + alpha);
        }
        if (minSize < 1) {
            throw new IllegalArgumentException("dirichlet minimum node size must be >= 1, got " + minSize);
        }
    }

    /** With the {@linkplain #DEFAULT_MIN_SIZE default minimum size}. */
    public DirichletPartitioner(double alpha) {
        this(alpha, DEFAULT_MIN_SIZE);
    }

    @Override
    public Partition partition(int[] labels, int numNodes, long seed) {
        int numClasses = PartitionSupport.check(labels, numNodes, minSize, spec());
        int[][] byLabel = PartitionSupport.indicesByLabel(labels, numClasses);
        SplittableRandom rng = new SplittableRandom(seed);
        int[] owner = new int[labels.length];
        int[] sizes = new int[numNodes];
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Arrays.fill(sizes, 0);
            for (int[] members : byLabel) {
                if (members.length == 0) {
                    continue;
                }
                int[] shuffled = members.clone();
                PortableRandom.shuffle(shuffled, rng);
                double[] p = PortableRandom.dirichlet(alpha, numNodes, rng);
                double cumulative = 0;
                int from = 0;
                for (int j = 0; j < numNodes; j++) {
                    cumulative += p[j];
                    int to = j == numNodes - 1
                            ? shuffled.length
                            : Math.min(shuffled.length, (int) Math.floor(cumulative * shuffled.length));
                    for (int k = from; k < to; k++) {
                        owner[shuffled[k]] = j;
                    }
                    sizes[j] += to - from;
                    from = Math.max(from, to);
                }
            }
            if (Arrays.stream(sizes).min().orElse(0) >= minSize) {
                return PartitionSupport.fromOwners(owner, numNodes);
            }
        }
        throw new IllegalArgumentException(spec() + " could not give each of " + numNodes
                + " nodes at least " + minSize + " of the " + labels.length + " examples in " + MAX_ATTEMPTS
                + " draws; use a larger alpha, fewer nodes, or a smaller minimum (dirichlet:" + alpha
                + ":MIN_SIZE)");
    }

    @Override
    public String spec() {
        return minSize == DEFAULT_MIN_SIZE ? "dirichlet:" + alpha : "dirichlet:" + alpha + ":" + minSize;
    }
}
