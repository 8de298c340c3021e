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
        float[] garment = checkedGarment();
        assertThat(InkStats.of(List.of(Styles.CONTOUR.render(garment))).midGrey())
                .isZero();
        assertThat(InkStats.of(List.of(Styles.DETAIL.render(garment))).midGrey())
                .isGreaterThan(0.2);
    }

    @Test
    void greyDeficitIsTheShareOfHerMidGreyPixelsAModelLeavesOut() {
        // Hers: 2 of 8 pixels mid-grey; a model with 1 mid-grey pixel leaves half of it out.
        InkStats her = InkStats.of(List.of(new float[] {1, 1, 1, 1, 0, 0, 0.4f, 0.5f}));
        assertThat(her.greyPixels()).isCloseTo(0.25, within(1e-12));
        InkStats half = InkStats.of(List.of(new float[] {1, 1, 1, 1, 1, 0, 0, 0.3f}));
        assertThat(her.greyDeficit(half)).isCloseTo(0.5, within(1e-12));
        // A model that draws only black or paper leaves it all out; one with more grey none.
        assertThat(her.greyDeficit(InkStats.of(List.of(new float[] {1, 0, 1, 0}))))
                .isCloseTo(1, within(1e-12));
        assertThat(her.greyDeficit(InkStats.of(List.of(new float[] {0.5f, 0.5f, 0.5f, 1}))))
                .isZero();
        // Black on white: nothing to leave out, whatever the model draws.
        InkStats black = InkStats.of(List.of(new float[] {1, 0, 1, 0}));
        assertThat(black.greyDeficit(half)).isZero();
    }

    @Test
    void onlyADesignerWhoseInkIsAllDarkGetsTheCrispL1Weight() {
        float[] garment = checkedGarment();
        TrainerSettings ts = TrainerSettings.defaults(1);
        float l1 = ts.weights().l1();
        InkStats contour = InkStats.of(List.of(Styles.CONTOUR.render(garment)));
        InkStats detail = InkStats.of(List.of(Styles.DETAIL.render(garment)));
        assertThat(contour.crisp()).isTrue();
        assertThat(detail.crisp()).isFalse();
        assertThat(ts.l1Weight(contour)).isEqualTo(l1 * TrainerSettings.DEFAULT_CRISP_INK_L1);
        assertThat(ts.l1Weight(detail)).isEqualTo(l1);
        assertThat(ts.withCrispInkL1(1).l1Weight(contour)).isEqualTo(l1);
        // 19 dark pixels and one mid-grey of 20 ink: 0.95 dark, still crisp; one more grey is not.
        float[] almost = new float[22];
        java.util.Arrays.fill(almost, 0f);
        almost[0] = 1;
        almost[1] = 0.5f;
        almost[2] = 1;
        assertThat(InkStats.of(List.of(almost)).crisp()).isTrue();
        almost[3] = 0.5f;
        assertThat(InkStats.of(List.of(almost)).crisp()).isFalse();
        assertThat(InkStats.of(List.of(new float[] {1, 1})).crisp())
                .as("no ink")
                .isFalse();
        assertThatThrownBy(() -> ts.withCrispInkL1(0.5f)).hasMessageContaining("crisp-ink L1 factor");
    }

    /** A 28×28 garment of alternating grey blocks, so styles with grey strokes draw some. */
    private static float[] checkedGarment() {
        float[] garment = new float[28 * 28];
        for (int y = 6; y < 22; y++) {
            for (int x = 8; x < 20; x++) {
                garment[y * 28 + x] = 0.3f + 0.5f * ((x / 3 + y / 4) % 2);
            }
        }
        return garment;
    }
}
