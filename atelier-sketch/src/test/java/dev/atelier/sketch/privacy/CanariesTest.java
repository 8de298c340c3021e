package dev.atelier.sketch.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.SketchPairs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanariesTest {
    @Test
    void drawIsSeededAndEveryCanaryIsADistinctInkedTexture() {
        Canaries a = Canaries.draw(32, 5);
        Canaries b = Canaries.draw(32, 5);
        assertThat(a.count()).isEqualTo(32);
        assertThat(a.in().size()).isBetween(2, 30);
        for (int i = 0; i < a.in().size(); i++) {
            assertThat(a.in().get(i)).containsExactly(b.in().get(i));
        }
        assertThat(Canaries.draw(32, 6).in().get(0)).isNotEqualTo(a.in().get(0));
        List<float[]> all = new ArrayList<>(a.in());
        all.addAll(a.out());
        for (int i = 0; i < all.size(); i++) {
            float[] c = all.get(i);
            assertThat(c).hasSize(32 * 32);
            double ink = 0;
            for (float v : c) {
                assertThat(v).isBetween(0f, 1f);
                ink += 1 - v;
            }
            assertThat(ink).as("canary %d has ink", i).isGreaterThan(10);
            for (int j = 0; j < i; j++) {
                assertThat(Arrays.equals(c, all.get(j))).isFalse();
            }
        }
    }

    @Test
    void inCanariesJoinHerTrainingPairsWithHerGarmentsAndOutOnesDoNot() {
        SketchPairs data = TestModels.designer(Styles.CONTOUR, 0, 12);
        PrivacyAudit.Designer d =
                PrivacyAudit.Designer.alternate("ada", Styles.CONTOUR.ordinal(), data.garments(), data.sketches());
        assertThat(d.trainingPairs()).isSameAs(d.members());
        Canaries c = Canaries.draw(8, 3); // 4 of 8 in
        PrivacyAudit.Designer withC = d.withCanaries(c);
        SketchPairs train = withC.trainingPairs();
        assertThat(train.size()).isEqualTo(6 + c.in().size());
        assertThat(train.sketches().subList(6, train.size())).containsExactlyElementsOf(c.in());
        assertThat(train.garments().get(6)).isSameAs(d.members().garments().get(0));
        for (float[] out : c.out()) {
            assertThat(train.sketches().stream().noneMatch(t -> Arrays.equals(t, out)))
                    .isTrue();
        }
    }

    @Test
    void rejectsTooFewCanariesWithAClearMessage() {
        assertThatThrownBy(() -> Canaries.draw(3, 1)).hasMessageContaining(">= 4");
        assertThatThrownBy(() -> new Canaries(List.of(new float[1024]), List.of(new float[1024], new float[1024])))
                .hasMessageContaining(">= 2 in");
    }
}
