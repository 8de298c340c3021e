package dev.atelier.sketch.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.ml.data.FashionMnist;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NonSketchesTest {
    @Test
    void deterministicInRangeAndVaried() {
        float[] garment = FashionMnist.loadFixture().test().image(0);
        SplittableRandom a = new SplittableRandom(1);
        SplittableRandom b = new SplittableRandom(1);
        double minMean = 1;
        double maxMean = 0;
        for (int i = 0; i < 50; i++) {
            float[] x = NonSketches.sample(a, garment);
            assertThat(NonSketches.sample(b, garment)).containsExactly(x);
            assertThat(x).hasSize(1024);
            double mean = 0;
            for (float v : x) {
                assertThat(v).isBetween(0f, 1f);
                mean += v / x.length;
            }
            minMean = Math.min(minMean, mean);
            maxMean = Math.max(maxMean, mean);
        }
        // dark photos, bright inverted photos, grey noise: brightness spans most of the range
        assertThat(maxMean - minMean).isGreaterThan(0.5);
    }
}
