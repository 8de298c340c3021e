package dev.atelier.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RobustMathTest {
    private static List<float[]> scalars(float... values) {
        List<float[]> out = new ArrayList<>();
        for (float v : values) {
            out.add(new float[] {v});
        }
        return out;
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(RobustMath.coordinateMedian(scalars(3, 1, 2))).containsExactly(2f);
        assertThat(RobustMath.coordinateMedian(scalars(4, 1, 3, 2))).containsExactly(2.5f);
        List<float[]> twoD = List.of(new float[] {1, 30}, new float[] {2, 10}, new float[] {100, 20});
        assertThat(RobustMath.coordinateMedian(twoD)).containsExactly(2f, 20f);
    }

    @Test
    void inputsAreNotModified() {
        List<float[]> v = scalars(3, 1, 2);
        RobustMath.coordinateMedian(v);
        RobustMath.coordinateTrimmedMean(v, 1);
        assertThat(v.get(0)).containsExactly(3f);
        assertThat(v.get(1)).containsExactly(1f);
    }

    @Test
    void trimmedMeanDropsEachSide() {
        assertThat(RobustMath.coordinateTrimmedMean(scalars(1, 2, 3, 4, 100), 1))
                .containsExactly(3f);
        assertThat(RobustMath.coordinateTrimmedMean(scalars(1, 2, 3, 4, 100), 0))
                .containsExactly(22f);
        assertThat(RobustMath.trimCount(10, 0.25)).isEqualTo(2);
        assertThat(RobustMath.trimCount(3, 0.2)).isZero();
        assertThatThrownBy(() -> RobustMath.coordinateTrimmedMean(scalars(1, 2, 3, 4), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2*trim < n");
    }

    @Test
    void krumScoresSumTheNearestNeighbours() {
        // f = 1, n = 5: each score sums the n - f - 2 = 2 smallest squared distances.
        double[] scores = RobustMath.krumScores(scalars(0, 1, 2, 3, 100), 1);
        assertThat(scores).containsExactly(5, 2, 2, 5, 9409 + 9604);
        assertThat(RobustMath.krumSelect(scalars(0, 1, 2, 3, 100), 1, 1)).containsExactly(1);
        assertThat(RobustMath.krumSelect(scalars(0, 1, 2, 3, 100), 1, 3)).containsExactly(1, 2, 0);
        assertThat(RobustMath.krumSelect(scalars(0, 1, 2, 3, 100), 1, 4)).doesNotContain(4);
    }

    @Test
    void krumNeedsMoreThanTwoFPlusTwoUpdates() {
        assertThatThrownBy(() -> RobustMath.krumScores(scalars(0, 1, 2, 3), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("f=1")
                .hasMessageContaining("more than 2f+2=4")
                .hasMessageContaining("got 4");
        assertThatThrownBy(() -> RobustMath.krumSelect(scalars(0, 1, 2, 3, 4), 1, 5))
                .hasMessageContaining("m <= n - f = 4");
        assertThatThrownBy(() -> RobustMath.krumScores(scalars(0, 1, 2), -1)).hasMessageContaining(">= 0");
    }

    @Test
    void weightedMeanOverChosenIndices() {
        List<float[]> v = scalars(1, 5, 100);
        assertThat(RobustMath.weightedMean(v, new double[] {3, 1, 7}, new int[] {0, 1}))
                .containsExactly(2f);
        assertThat(RobustMath.weightedMean(v, new double[] {0, 0, 7}, new int[] {0, 1}))
                .containsExactly(3f);
        assertThatThrownBy(() -> RobustMath.weightedMean(v, new double[] {1, Double.NaN, 1}, new int[] {1}))
                .hasMessageContaining("finite");
    }

    @Test
    void mismatchedOrMissingVectorsAreRejected() {
        assertThatThrownBy(() -> RobustMath.coordinateMedian(List.of())).hasMessageContaining("no update vectors");
        assertThatThrownBy(() -> RobustMath.coordinateMedian(List.of(new float[2], new float[3])))
                .hasMessageContaining("vector 1 has length 3, expected 2");
    }
}
