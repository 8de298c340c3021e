package dev.atelier.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AggregationMath#weightedMean}: the one weighted mean of vectors and of scalars. */
class WeightedMeanTest {
    @Test
    void vectorsAreAveragedByWeightInDouble() {
        float[] mean = AggregationMath.weightedMean(
                List.of(new float[] {1, -2}, new float[] {5, 2}, new float[] {100, 100}), new double[] {3, 1, 0});
        assertThat(mean).containsExactly(2f, -1f);
        // 2^24 + 1 is not a float, but the sum is kept in double: (2^24 + 2^24 + 2) / 2 rounds once.
        float big = 16_777_216f;
        assertThat(AggregationMath.weightedMean(List.of(new float[] {big}, new float[] {big + 2}), new double[] {1, 1}))
                .containsExactly(big);
    }

    @Test
    void scalarsFollowTheSameRule() {
        assertThat(AggregationMath.weightedMean(new double[] {1, 5, 100}, new double[] {3, 1, 0}))
                .isEqualTo(2.0);
        assertThat(AggregationMath.weightedMean(new double[] {0.1}, new double[] {7}))
                .isEqualTo(0.1);
    }

    @Test
    void invalidInputsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> AggregationMath.weightedMean(new double[] {1, 2}, new double[] {0, 0}))
                .hasMessageContaining("weights sum to 0.0");
        assertThatThrownBy(() -> AggregationMath.weightedMean(new double[] {1, 2}, new double[] {1, -1}))
                .hasMessageContaining("weight 1 must be finite and >= 0");
        assertThatThrownBy(() -> AggregationMath.weightedMean(new double[] {1}, new double[] {Double.NaN}))
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> AggregationMath.weightedMean(new double[] {1, 2}, new double[] {1}))
                .hasMessageContaining("1 weights for 2 values");
        assertThatThrownBy(() -> AggregationMath.weightedMean(List.of(), new double[0]))
                .hasMessageContaining("no values");
        assertThatThrownBy(() -> AggregationMath.weightedMean(List.of(new float[2], new float[3]), new double[] {1, 1}))
                .hasMessageContaining("length 3");
        assertThatThrownBy(() -> AggregationMath.weightedMean(
                        new double[] {1, 2}, new double[] {Double.MAX_VALUE, Double.MAX_VALUE}))
                .hasMessageContaining("finite positive sum");
    }
}
