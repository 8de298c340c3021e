package dev.atelier.ml.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pathological non-IID partition by label shards (McMahan et al. 2017): the data is cut into {@code
 * numNodes * k} single-label shards and every node receives {@code k} of them at random, so a node
 * holds at most {@code k} distinct labels.
 *
 * <p>Shards never straddle two labels (unlike a plain sort-and-cut, whose boundary shards can mix
 * labels): each present label first gets one shard, the remaining shards go one at a time to the label
 * whose shards are currently largest (D'Hondt apportionment), and each label's shuffled examples are
 * cut into that many near-equal shards. For balanced data such as Fashion-MNIST with 100 nodes and
 * {@code k = 2} this reproduces the classic 200 shards of 300 examples. Spec: {@code shards:K}.
 *
 * @param shardsPerNode shards per node {@code k}, {@code >= 1}
 */
public record ShardPartitioner(int shardsPerNode) implements Partitioner {

    public ShardPartitioner {
        if (shardsPerNode < 1) {
            throw new IllegalArgumentException("shards per node must be >= 1, got " + shardsPerNode);
        }
    }

    @Override
    public Partition partition(int[] labels, int numNodes, long seed) {
        int numClasses = PartitionSupport.check(labels, numNodes, shardsPerNode, spec());
        int[][] byLabel = PartitionSupport.indicesByLabel(labels, numClasses);
        long totalShards = (long) numNodes * shardsPerNode;
        int present = 0;
        for (int[] members : byLabel) {
            present += members.length > 0 ? 1 : 0;
        }
        if (totalShards < present) {
            throw new IllegalArgumentException(spec() + " with " + numNodes + " nodes makes "
                    + totalShards + " shards, but the data has " + present
                    + " labels and every label needs a shard; use more nodes, a larger K, or dirichlet:ALPHA");
        }
        int[] shardsOf = apportionShards(byLabel, (int) totalShards, present);
        SplittableRandom rng = new SplittableRandom(seed);
        List<int[]> shards = new ArrayList<>((int) totalShards);
        for (int c = 0; c < numClasses; c++) {
            int[] members = byLabel[c].clone();
            PortableRandom.shuffle(members, rng);
            int from = 0;
            for (int size : PartitionSupport.equalSizes(members.length, shardsOf[c])) {
                shards.add(Arrays.copyOfRange(members, from, from + size));
                from += size;
            }
        }
        int[] order = PortableRandom.permutation(shards.size(), rng);
        int[] owner = new int[labels.length];
        for (int s = 0; s < order.length; s++) {
            for (int i : shards.get(order[s])) {
                owner[i] = s / shardsPerNode;
            }
        }
        return PartitionSupport.fromOwners(owner, numNodes);
    }

    /** Shards per label: one for each present label, the rest to the label with the largest shards. */
    private static int[] apportionShards(int[][] byLabel, int totalShards, int present) {
        int[] shardsOf = new int[byLabel.length];
        for (int c = 0; c < byLabel.length; c++) {
            shardsOf[c] = byLabel[c].length > 0 ? 1 : 0;
        }
        for (int given = present; given < totalShards; given++) {
            int best = -1;
            for (int c = 0; c < byLabel.length; c++) {
                // compare len_c / shards_c by cross-multiplication to stay exact
                if (shardsOf[c] > 0
                        && (best < 0
                                || (long) byLabel[c].length * shardsOf[best]
                                        > (long) byLabel[best].length * shardsOf[c])) {
                    best = c;
                }
            }
            shardsOf[best]++;
        }
        return shardsOf;
    }

    @Override
    public String spec() {
        return "shards:" + shardsPerNode;
    }
}
