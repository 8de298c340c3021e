package dev.atelier.sketch.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class L1DistanceTest {
    @Test
    void meanAbsoluteDifferenceByHand() {
        float[] a = {0f, 0.5f, 1f, 1f};
        float[] b = {1f, 0.25f, 1f, 0.5f};
        // (1 + 0.25 + 0 + 0.5) / 4
        assertThat(L1Distance.of(a, b)).isCloseTo(0.4375, within(1e-12));
        assertThat(L1Distance.of(a, a)).isZero();
        assertThat(L1Distance.mean(List.of(a, a), List.of(b, a))).isCloseTo(0.21875, within(1e-12));
    }
}
