package dev.atelier.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionSummaryTest {

    private static final int[] LABELS = {0, 0, 1, 2, 2, 2};

    private final PartitionSummary summary =
            Partition.of(new int[][] {{0, 2, 3}, {1, 4, 5}}).describe(LABELS, List.of("Coat", "Bag", "Shirt"));

    @Test
    void countsPerNodeAndLabel() {
        assertThat(summary.nodes())
                .containsExactly(
                        new PartitionSummary.NodeCounts(0, 3, List.of(1, 1, 1)),
                        new PartitionSummary.NodeCounts(1, 3, List.of(1, 0, 2)));
        assertThat(summary.nodes().get(1).distinctLabels()).isEqualTo(2);
        assertThat(summary.nodes().get(1).maxLabelShare()).isEqualTo(2.0 / 3);
        assertThat(summary.meanMaxLabelShare()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void rendersAFixedWidthTable() {
        assertThat(summary.toTable())
                .isEqualTo(String.join(
                        "\n",
                        "node  total     0     1     2",
                        "0         3     1     1     1",
                        "1         3     1     0     2",
                        "all       6     2     1     3",
                        "labels: 0=Coat, 1=Bag, 2=Shirt"));
    }
}
