package dev.atelier.sketch.style;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainingIndicesTest {

    /** 1000 labels, 100 per category, in shuffled order. */
    static int[] balancedLabels() {
        int[] labels = new int[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = labels.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        return labels;
    }

    static int[] histogram(int[] labels, int[] idx) {
        int[] h = new int[10];
        for (int i : idx) {
            h[labels[i]]++;
        }
        return h;
    }

    static DesignerProfile profile(String name, int pairs, double... mix) {
        return new DesignerProfile(name, "contour", mix, pairs);
    }

    @Test
    void followsTheMixExactlyWithLargestRemainderRounding() {
        int[] labels = balancedLabels();
        DesignerProfile p = profile("p", 101, 0.5, 0.25, 0.125, 0.125, 0, 0, 0, 0, 0, 0);
        int[] idx = TrainingIndices.pick(labels, p, 42);
        assertThat(idx).hasSize(101).isSorted().doesNotHaveDuplicates();
        // 50.5, 25.25, 12.625, 12.625 → floors 50, 25, 12, 12 (99); remainders .625, .625, .5 → cat 2, 3.
        assertThat(histogram(labels, idx)).containsExactly(50, 25, 13, 13, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void deterministicPerSeedAndDesigner() {
        int[] labels = balancedLabels();
        DesignerProfile a = profile("a", 80, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1);
        DesignerProfile b = profile("b", 80, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1);
        assertThat(TrainingIndices.pick(labels, a, 1)).isEqualTo(TrainingIndices.pick(labels, a, 1));
        assertThat(TrainingIndices.pick(labels, a, 1)).isNotEqualTo(TrainingIndices.pick(labels, a, 2));
        assertThat(TrainingIndices.pick(labels, a, 1)).isNotEqualTo(TrainingIndices.pick(labels, b, 1));
    }

    @Test
    void shortageIsRedistributedByTheRemainingShares() {
        int[] labels = balancedLabels();
        // Wants 150 of category 0 but only 100 exist: the 50 missing go to categories 1, 2, 3 by 3:1:1.
        DesignerProfile p = profile("p", 200, 0.75, 0.15, 0.05, 0.05, 0, 0, 0, 0, 0, 0);
        int[] h = histogram(labels, TrainingIndices.pick(labels, p, 7));
        assertThat(h).containsExactly(100, 30 + 30, 10 + 10, 10 + 10, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void whenAllWeightedCategoriesRunOutTheRestIsUsedByAvailability() {
        int[] labels = balancedLabels();
        DesignerProfile p = profile("p", 300, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        int[] h = histogram(labels, TrainingIndices.pick(labels, p, 7));
        assertThat(h[0]).isEqualTo(100);
        assertThat(Arrays.stream(h).sum()).isEqualTo(300);
        assertThat(Arrays.stream(h, 1, 10).max().getAsInt()
                        - Arrays.stream(h, 1, 10).min().getAsInt())
                .isLessThanOrEqualTo(1);
    }

    @Test
    void defaultDesignersGetTheirSizesFromARealisticSplit() {
        int[] labels = balancedLabels();
        for (DesignerProfile p : DesignerProfiles.loadDefault()) {
            int[] idx = TrainingIndices.pick(labels, p, 2025);
            assertThat(idx).hasSize(p.trainPairs()).doesNotHaveDuplicates();
            int[] h = histogram(labels, idx);
            int top = p.topCategories(1)[0];
            assertThat(h[top]).isEqualTo(Arrays.stream(h).max().getAsInt());
        }
    }

    @Test
    void rejectsTooSmallSplitsAndBadLabels() {
        DesignerProfile p = profile("p", 50, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1);
        assertThatThrownBy(() -> TrainingIndices.pick(new int[10], p, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 50")
                .hasMessageContaining("only 10");
        assertThatThrownBy(() -> TrainingIndices.pick(new int[] {0, 11}, p, 1)).hasMessageContaining("labels[1] = 11");
    }
}
