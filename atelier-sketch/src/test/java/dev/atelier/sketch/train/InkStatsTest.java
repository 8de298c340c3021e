package dev.atelier.sketch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.sketch.style.Styles;
import java.util.List;
import org.junit.jupiter.api.Test;

class InkStatsTest {

    @Test
    void sharesOfInkAndGreyLevels() {
        // 10 pixels: 6 paper, 2 black, 1 mid-grey (0.5), 1 light grey (0.8).
        float[] s = {1, 1, 1, 1, 1, 0.95f, 0, 0.05f, 0.5f, 0.8f};
        InkStats st = InkStats.of(List.of(s));
        assertThat(st.ink()).isCloseTo(0.4, within(1e-12));
        assertThat(st.midGrey()).isCloseTo(0.25, within(1e-12));
        assertThat(st.light()).isCloseTo(0.25, within(1e-12));
        assertThat(st.dark()).isCloseTo(0.5, within(1e-12));
        // Blank paper: no ink, so no grey levels either (the ink term stays off).
        InkStats blank = InkStats.of(List.of(new float[] {1, 1, 1}));
        assertThat(blank.ink()).isZero();
        assertThat(blank.midGrey()).isZero();
        assertThatThrownBy(() -> InkStats.of(List.of())).hasMessageContaining("at least one sketch");
        assertThatThrownBy(() -> InkStats.of(List.of(new float[] {Float.NaN}))).hasMessageContaining("NaN");
    }

    @Test
    void blackOnWhiteStylesHaveNoMidGreyAndGreyStylesDo() {
        float[] garment = new float[28 * 28];
        for (int y = 6; y < 22; y++) {
            for (int x = 8; x < 20; x++) {
                garment[y * 28 + x] = 0.3f + 0.5f * ((x / 3 + y / 4) % 2);
            }
        }
        assertThat(InkStats.of(List.of(Styles.CONTOUR.render(garment))).midGrey())
                .isZero();
        assertThat(InkStats.of(List.of(Styles.DETAIL.render(garment))).midGrey())
                .isGreaterThan(0.2);
    }
}
