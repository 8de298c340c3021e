package dev.atelier.sketch.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;
import org.junit.jupiter.api.Test;

class StyleScoresTest {
    // three sketches, four styles
    private static final float[][] P = {
        {0.7f, 0.1f, 0.2f, 0.0f},
        {0.2f, 0.5f, 0.3f, 0.0f},
        {0.4f, 0.0f, 0.0f, 0.6f},
    };

    @Test
    void accuracyCountsArgMaxHits() {
        assertThat(StyleScores.accuracy(P, 0)).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(StyleScores.accuracy(P, 2)).isZero();
    }

    @Test
    void fusionIsMeanMassOnPeerStylesExcludingOwn() {
        // own style 0, peers {1, 2}: (0.3 + 0.8 + 0.0) / 3
        assertThat(StyleScores.fusion(P, 0, Set.of(1, 2))).isCloseTo(1.1 / 3, within(1e-6));
        // a peer sharing the own style is not leakage
        assertThat(StyleScores.fusion(P, 0, Set.of(0, 1, 2))).isCloseTo(1.1 / 3, within(1e-6));
        // style 3 is nobody's: neither own nor fusion mass
        assertThat(StyleScores.fusion(P, 0, Set.of())).isZero();
        assertThatThrownBy(() -> StyleScores.fusion(P, 0, Set.of(9))).hasMessageContaining("peer style 9");
    }
}
