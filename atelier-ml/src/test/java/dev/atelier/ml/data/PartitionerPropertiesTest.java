package dev.atelier.ml.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The partitioner contract over random data: disjoint, covering, non-empty, deterministic. */
class PartitionerPropertiesTest {

    private static int[] randomLabels(int n, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return IntStream.range(0, n).map(i -> rng.nextInt(classes)).toArray();
    }

    private static void assertContract(Partitioner partitioner, int[] labels, int nodes, long seed) {
        Partition p = partitioner.partition(labels, nodes, seed);

        assertThat(p.numNodes()).isEqualTo(nodes);
        assertThat(Arrays.stream(p.sizes()).min().orElseThrow()).isPositive();
        int[] all = IntStream.range(0, nodes)
                .flatMap(j -> Arrays.stream(p.indices(j)))
                .sorted()
                .toArray();
        assertThat(all).isEqualTo(IntStream.range(0, labels.length).toArray());
        assertThat(partitioner.partition(labels, nodes, seed)).isEqualTo(p);
    }

    @Property(tries = 100)
    void iid(
            @ForAll @IntRange(min = 1, max = 500) int n,
            @ForAll @IntRange(min = 1, max = 10) int classes,
            @ForAll @IntRange(min = 1, max = 20) int nodes,
            @ForAll long seed) {
        Assume.that(n >= nodes);
        assertContract(new IidPartitioner(), randomLabels(n, classes, seed), nodes, seed);
    }

    @Property(tries = 100)
    void unequal(
            @ForAll @IntRange(min = 1, max = 500) int n,
            @ForAll @DoubleRange(min = 0, max = 3) double sigma,
            @ForAll @IntRange(min = 1, max = 20) int nodes,
            @ForAll long seed) {
        Assume.that(n >= nodes);
        assertContract(new UnequalPartitioner(sigma), randomLabels(n, 10, seed), nodes, seed);
    }

    @Property(tries = 100)
    void shards(
            @ForAll @IntRange(min = 1, max = 500) int n,
            @ForAll @IntRange(min = 1, max = 10) int classes,
            @ForAll @IntRange(min = 1, max = 3) int k,
            @ForAll @IntRange(min = 1, max = 20) int nodes,
            @ForAll long seed) {
        int[] labels = randomLabels(n, classes, seed);
        long present = Arrays.stream(labels).distinct().count();
        Assume.that(n >= nodes * k && nodes * k >= present);
        assertContract(new ShardPartitioner(k), labels, nodes, seed);
        Partition p = new ShardPartitioner(k).partition(labels, nodes, seed);
        for (int j = 0; j < nodes; j++) {
            assertThat(Arrays.stream(p.indices(j))
                            .map(i -> labels[i])
                            .distinct()
                            .count())
                    .isLessThanOrEqualTo(k);
        }
    }

    @Property(tries = 100)
    void dirichlet(
            @ForAll @IntRange(min = 200, max = 1000) int n,
            @ForAll @IntRange(min = 5, max = 10) int classes,
            @ForAll @DoubleRange(min = 0.5, max = 50) double alpha,
            @ForAll @IntRange(min = 1, max = 8) int nodes,
            @ForAll long seed) {
        assertContract(new DirichletPartitioner(alpha, 1), randomLabels(n, classes, seed), nodes, seed);
    }
}
