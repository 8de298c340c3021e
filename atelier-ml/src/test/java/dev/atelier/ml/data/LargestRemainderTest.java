package dev.atelier.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LargestRemainderTest {

    @Property(tries = 300)
    void apportionSumsToTheTotalAndStaysWithinOneOfTheQuota(
            @ForAll @Size(min = 1, max = 20) double[] rawWeights, @ForAll @IntRange(min = 0, max = 100_000) int total) {
        double[] weights =
                Arrays.stream(rawWeights).map(w -> Math.abs(w) % 1000 + 0.001).toArray();
        double sum = Arrays.stream(weights).sum();

        int[] shares = LargestRemainder.apportion(weights, total);

        assertThat(Arrays.stream(shares).sum()).isEqualTo(total);
        for (int i = 0; i < weights.length; i++) {
            assertThat((double) shares[i]).isCloseTo(weights[i] / sum * total, within(1.0 + 1e-6));
        }
    }

    @Test
    void breaksTiesTowardsTheLowerIndexAndRejectsBadWeights() {
        assertThat(LargestRemainder.apportion(new double[] {1, 1, 1}, 4)).containsExactly(2, 1, 1);
        assertThat(LargestRemainder.apportion(new double[] {0, 3}, 5)).containsExactly(0, 5);
        assertThatThrownBy(() -> LargestRemainder.apportion(new double[] {1, -1}, 3))
                .hasMessageContaining("finite and >= 0");
        assertThatThrownBy(() -> LargestRemainder.apportion(new double[] {0, 0}, 3))
                .hasMessageContaining("zero weights");
    }
}
