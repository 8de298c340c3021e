package dev.atelier.sketch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.core.params.ParamSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class StyleCardTest {
    private static final StyleCard A = new StyleCard(
            List.of(new float[] {1, 2}, new float[] {3}), List.of(new float[] {0.5f, 1}, new float[] {2}));
    private static final StyleCard B = new StyleCard(
            List.of(new float[] {3, 6}, new float[] {-1}), List.of(new float[] {1.5f, 3}, new float[] {0}));

    @Test
    void roundTripsThroughAParamSetWithDocumentedNames() {
        ParamSet p = A.toParamSet();
        assertThat(p.names()).containsExactly("style.s1.mean", "style.s1.std", "style.s2.mean", "style.s2.std");
        assertThat(p.get("style.s1.std").shape()).containsExactly(2);
        assertThat(StyleCard.fromParamSet(p.merge(ParamSet.builder()
                        .putF32("disc.x", new long[] {1}, new float[] {0})
                        .build())))
                .isEqualTo(A);
    }

    @Test
    void blendMixesOwnAndOtherLinearly() {
        assertThat(A.blend(B, 1)).isEqualTo(A);
        assertThat(A.blend(B, 0)).isEqualTo(B);
        StyleCard mid = A.blend(B, 0.25);
        assertThat(mid.mean(0)[1]).isCloseTo(0.25f * 2 + 0.75f * 6, within(1e-6f));
        assertThat(mid.std(1)[0]).isCloseTo(0.25f * 2, within(1e-6f));
        assertThatThrownBy(() -> A.blend(B, 1.5)).hasMessageContaining("[0, 1]");
    }

    @Test
    void averageIsExampleWeighted() {
        StyleCard avg = StyleCard.average(List.of(A, B), new double[] {300, 100});
        assertThat(avg.mean(0)[0]).isCloseTo(0.75f * 1 + 0.25f * 3, within(1e-6f));
        assertThat(avg.mean(1)[0]).isCloseTo(0.75f * 3 - 0.25f, within(1e-6f));
        assertThatThrownBy(() -> StyleCard.average(List.of(A, B), new double[] {0, 0}))
                .hasMessageContaining("sum to 0");
        StyleCard other = new StyleCard(List.of(new float[] {1}), List.of(new float[] {1}));
        assertThatThrownBy(() -> StyleCard.average(List.of(A, other), new double[] {1, 1}))
                .hasMessageContaining("channels");
    }

    @Test
    void rejectsInvalidStatistics() {
        assertThatThrownBy(() -> new StyleCard(List.of(new float[] {1}), List.of(new float[] {-1})))
                .hasMessageContaining("std >= 0");
        assertThatThrownBy(() -> StyleCard.fromParamSet(ParamSet.empty())).hasMessageContaining("style.s1.mean");
    }
}
