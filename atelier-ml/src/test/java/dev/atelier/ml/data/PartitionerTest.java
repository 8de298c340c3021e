package dev.atelier.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PartitionerTest {

    /** 10 balanced classes of 1 000, interleaved like a real data set. */
    private static final int[] BALANCED =
            IntStream.range(0, 10_000).map(i -> i % 10).toArray();

    private static void assertDisjointCover(Partition p, int n) {
        int[] all = IntStream.range(0, p.numNodes())
                .flatMap(j -> Arrays.stream(p.indices(j)))
                .sorted()
                .toArray();
        assertThat(all).isEqualTo(IntStream.range(0, n).toArray());
    }

    @Test
    void iidGivesNearlyEqualSizesAndMixedLabels() {
        Partition p = new IidPartitioner().partition(BALANCED, 7, 1);

        assertDisjointCover(p, BALANCED.length);
        assertThat(p.sizes()).containsOnly(1428, 1429);
        PartitionSummary summary = p.describe(BALANCED, FashionMnist.CLASS_NAMES);
        assertThat(summary.meanMaxLabelShare()).isLessThan(0.13);
        assertThat(summary.nodes())
                .allSatisfy(n -> assertThat(n.distinctLabels()).isEqualTo(10));
    }

    @Test
    void dirichletWithSmallAlphaIsSkewed() {
        Partition p = new DirichletPartitioner(0.1).partition(BALANCED, 20, 42);

        assertDisjointCover(p, BALANCED.length);
        assertThat(p.describe(BALANCED, FashionMnist.CLASS_NAMES).meanMaxLabelShare())
                .isGreaterThan(0.5);
    }

    @Test
    void dirichletWithLargeAlphaIsNearUniform() {
        Partition p = new DirichletPartitioner(1000).partition(BALANCED, 20, 42);

        assertDisjointCover(p, BALANCED.length);
        PartitionSummary summary = p.describe(BALANCED, FashionMnist.CLASS_NAMES);
        assertThat(summary.meanMaxLabelShare()).isLessThan(0.15);
        assertThat(Arrays.stream(p.sizes()).boxed())
                .allSatisfy(s -> assertThat(s).isBetween(400, 600));
    }

    @Test
    void dirichletSkewGrowsAsAlphaShrinks() {
        double previous = 0;
        for (double alpha : new double[] {100, 1, 0.3, 0.05}) {
            double share = new DirichletPartitioner(alpha, 1)
                    .partition(BALANCED, 10, 9)
                    .describe(BALANCED, FashionMnist.CLASS_NAMES)
                    .meanMaxLabelShare();
            assertThat(share).as("alpha %s", alpha).isGreaterThan(previous);
            previous = share;
        }
    }

    @Test
    void dirichletRespectsTheMinimumSize() {
        Partition p = new DirichletPartitioner(0.1, 150).partition(BALANCED, 20, 3);

        assertThat(Arrays.stream(p.sizes()).min().orElseThrow()).isGreaterThanOrEqualTo(150);
    }

    @Test
    void unreachableDirichletMinimumFailsWithAdvice() {
        int[] labels = new int[100]; // one class: every draw concentrates on few nodes
        assertThatThrownBy(() -> new DirichletPartitioner(0.01, 9).partition(labels, 10, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dirichlet:0.01:9 could not give each of 10 nodes at least 9 of "
                        + "the 100 examples in 1000 draws")
                .hasMessageContaining("larger alpha");
    }

    @Test
    void shardsGiveEachNodeAtMostKLabels() {
        for (int shards = 1; shards <= 3; shards++) {
            int k = shards;
            Partition p = new ShardPartitioner(k).partition(BALANCED, 10, 5);
            assertDisjointCover(p, BALANCED.length);
            assertThat(p.describe(BALANCED, FashionMnist.CLASS_NAMES).nodes())
                    .allSatisfy(n -> assertThat(n.distinctLabels()).isBetween(1, k));
            // 1000 examples per label cut into near-equal shards: sizes differ by at most one per shard
            assertThat(Arrays.stream(p.sizes()).boxed())
                    .allSatisfy(size -> assertThat(size).isBetween(1000 - k, 1000 + k));
        }
    }

    @Test
    void shardsReproduceTheClassicSetupOnFullSizeData() {
        int[] labels = IntStream.range(0, 60_000).map(i -> (i * 7) % 10).toArray();

        Partition p = new ShardPartitioner(2).partition(labels, 100, 0);

        assertThat(p.sizes()).containsOnly(600);
        assertThat(p.describe(labels, FashionMnist.CLASS_NAMES).nodes())
                .allSatisfy(n -> assertThat(n.perLabel())
                        .allSatisfy(c -> assertThat(c % 300).isZero()));
    }

    @Test
    void shardsWithUnbalancedLabelsStillNeverMixLabelsInAShard() {
        int[] labels =
                IntStream.range(0, 1000).map(i -> i < 700 ? 0 : i < 950 ? 1 : 2).toArray();

        Partition p = new ShardPartitioner(1).partition(labels, 9, 2);

        assertDisjointCover(p, labels.length);
        assertThat(p.describe(labels, List.of("a", "b", "c")).nodes())
                .allSatisfy(n -> assertThat(n.distinctLabels()).isEqualTo(1));
    }

    @Test
    void tooFewShardsForTheLabelsIsRejected() {
        assertThatThrownBy(() -> new ShardPartitioner(2).partition(BALANCED, 2, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shards:2 with 2 nodes makes 4 shards, but the data has 10 labels and every "
                        + "label needs a shard; use more nodes, a larger K, or dirichlet:ALPHA");
    }

    @Test
    void unequalSizesVaryButLabelsStayMixed() {
        Partition p = new UnequalPartitioner(1.5).partition(BALANCED, 10, 8);

        assertDisjointCover(p, BALANCED.length);
        int[] sizes = p.sizes();
        int max = Arrays.stream(sizes).max().orElseThrow();
        int min = Arrays.stream(sizes).min().orElseThrow();
        assertThat(min).isGreaterThanOrEqualTo(1);
        assertThat((double) max / min).isGreaterThan(5);
    }

    @Test
    void unequalWithZeroSigmaIsEqualSizes() {
        Partition p = new UnequalPartitioner(0).partition(BALANCED, 6, 8);

        assertThat(p.sizes()).containsOnly(1666, 1667);
    }

    @Test
    void everySchemeIsDeterministicPerSeed() {
        for (Partitioner partitioner : List.of(
                new IidPartitioner(),
                new DirichletPartitioner(0.5),
                new ShardPartitioner(2),
                new UnequalPartitioner(1))) {
            assertThat(partitioner.partition(BALANCED, 10, 77))
                    .as(partitioner.spec())
                    .isEqualTo(partitioner.partition(BALANCED, 10, 77))
                    .isNotEqualTo(partitioner.partition(BALANCED, 10, 78));
        }
    }

    @Test
    void moreNodesThanExamplesIsRejected() {
        assertThatThrownBy(() -> new IidPartitioner().partition(new int[3], 5, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("iid cannot give 5 nodes at least 1 example each from 3 examples; use fewer "
                        + "nodes or more data");
    }

    @Test
    void negativeLabelIsRejected() {
        assertThatThrownBy(() -> new IidPartitioner().partition(new int[] {0, -1}, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("iid: label -1 at index 1 is negative");
    }

    @Test
    void partitionsTheFixturePrivateSplit() {
        DataSplits splits = FashionMnist.loadFixture().splits(200, 1);
        int[] labels = splits.privateTrain().labels();

        Partition p = Partitioner.parse("dirichlet:0.5").partition(labels, 4, 1);

        assertDisjointCover(p, labels.length);
        assertThat(p.totalSize()).isEqualTo(400);
    }
}
