package dev.atelier.zo.firstorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The learning-rate schedule: linear warm-up, then cosine to the final rate at the last step. */
class AdamTrainerTest {
    @Test
    void warmsUpLinearlyThenFollowsACosineToTheFinalRate() {
        var s = new AdamTrainer.Settings(110, 4, 1e-2f, 1e-3f, 10, 1);
        assertThat(AdamTrainer.learningRate(s, 0)).isCloseTo(1e-3f, within(1e-9f));
        assertThat(AdamTrainer.learningRate(s, 4)).isCloseTo(5e-3f, within(1e-9f));
        assertThat(AdamTrainer.learningRate(s, 9)).isCloseTo(1e-2f, within(1e-9f));
        assertThat(AdamTrainer.learningRate(s, 10)).isCloseTo(1e-2f, within(1e-9f));
        // halfway through the cosine: the mean of the two rates
        assertThat(AdamTrainer.learningRate(s, 10 + 99 / 2)).isCloseTo(5.5e-3f, within(1e-4f));
        assertThat(AdamTrainer.learningRate(s, 109)).isCloseTo(1e-3f, within(1e-9f));
        for (int n = 11; n < 110; n++) {
            assertThat(AdamTrainer.learningRate(s, n)).isLessThanOrEqualTo(AdamTrainer.learningRate(s, n - 1));
        }
        var none = new AdamTrainer.Settings(5, 4, 1e-2f, 0f, 1);
        assertThat(AdamTrainer.learningRate(none, 0)).isEqualTo(1e-2f);
        assertThat(AdamTrainer.learningRate(none, 4)).isCloseTo(0f, within(1e-9f));
        assertThatThrownBy(() -> new AdamTrainer.Settings(5, 4, 1e-2f, 0f, 5, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("warm-up");
    }
}
