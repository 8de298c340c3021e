package dev.atelier.sketch.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.ml.data.DataSplits;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EvaluatorCacheTest {

    @Test
    void learnsStyleAndGarmentOnHeldOutRenderings() {
        EvaluatorCache.Trained t = FixtureEvaluator.trained();
        EvaluatorAccuracy acc = t.accuracy();
        // 200 unseen test garments × 8 styles; measured style 0.981 (worst style 0.945), garment 0.721,
        // non-sketches rejected 0.985 with EvaluatorSettings.quick()
        assertThat(acc.sketches()).isEqualTo(1600);
        assertThat(acc.style()).isGreaterThan(0.95);
        assertThat(Arrays.stream(acc.perStyle()).min().orElseThrow()).isGreaterThan(0.8);
        assertThat(acc.garment()).isGreaterThan(0.6);
        assertThat(acc.nonSketch()).isGreaterThan(0.95);
    }

    @Test
    void secondCallLoadsTheCacheAndChangedSettingsDoNot() throws IOException {
        EvaluatorCache.Trained first = FixtureEvaluator.trained();
        DataSplits s = FixtureEvaluator.splits();
        EvaluatorCache.Trained again = EvaluatorCache.getOrTrain(
                s.publicTrain(), s.test(), FixtureEvaluator.SETTINGS, FixtureEvaluator.cacheDir(), false);
        assertThat(again.cached()).isTrue();
        assertThat(again.file()).isEqualTo(first.file());
        assertThat(again.params()).isEqualTo(first.params());
        assertThat(again.accuracy().style()).isEqualTo(first.accuracy().style());
        assertThat(again.accuracy()).usingRecursiveComparison().isEqualTo(first.accuracy());

        String key = EvaluatorCache.cacheKey(s.publicTrain(), s.test(), FixtureEvaluator.SETTINGS);
        assertThat(EvaluatorCache.cacheKey(s.publicTrain(), s.test(), FixtureEvaluator.SETTINGS.withSteps(301)))
                .isNotEqualTo(key);
        assertThat(EvaluatorCache.cacheKey(s.privateTrain(), s.test(), FixtureEvaluator.SETTINGS))
                .isNotEqualTo(key);
        assertThat(first.file().getFileName().toString()).contains(key);
    }
}
