package dev.atelier.sketch.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.atelier.core.message.Config;
import dev.atelier.core.privacy.AesCtrPrg;
import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.core.privacy.RandomBits;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.SketchPairs;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.TrainerSettings;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CriticDpSgdTest {
    static RandomBits seeded(int s) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) s);
        return new AesCtrPrg(seed);
    }

    static CriticDpSgd planner(double clip, double z, int records, int batch) {
        return CriticDpSgd.plan(
                new DpSgdSettings(new PrivacyOptions.Dp(clip, z, 0, 1e-5), 100), records, batch, seeded(3));
    }

    /** Critic inputs (Gram stacks) of the first n sketches and of the n garments drawn as if they were sketches. */
    static NDArray[] inputs(SketchGan gan, NDManager m, SketchPairs data, int n) {
        int[] idx = new int[n];
        Arrays.setAll(idx, i -> i);
        NDArray real = gan.criticInput(gan.encode(Images.batch(m, data.sketches(), idx)));
        NDArray fake = gan.criticInput(gan.encode(Images.batch(m, data.garments(), idx)));
        return new NDArray[] {real, fake};
    }

    @Test
    void everyRecordsGradientIsClippedToC() {
        SketchPairs data = TestModels.designer(Styles.CONTOUR, 0, 4);
        try (SketchGan gan = SketchGan.create(TestModels.encoderParams(), SketchGanConfig.defaults(), 1);
                NDManager m = gan.manager().newSubManager()) {
            NDArray[] in = inputs(gan, m, data, 1);
            double clip = 1e-3;
            // One record sampled with q = 1: the privatised gradient is that record's clipped gradient
            // (noise 1e-9 C is far below float resolution here).
            CriticDpSgd.Step one = planner(clip, 1e-9, 1, 1).privatise(gan, in[0], in[1], 0.1f);
            assertThat(one.rawNorms()).hasSize(1);
            assertThat(one.rawNorms()[0])
                    .as("the raw gradient must exceed C for the test to clip")
                    .isGreaterThan(10 * clip);
            assertThat(CriticDpSgd.norm(one.gradient())).isCloseTo(clip, within(clip * 1e-4));
            // Three records, each clipped: the sum's norm is at most 3C (q N = 3).
            NDArray[] three = inputs(gan, m, data, 3);
            CriticDpSgd.Step s3 = planner(clip, 1e-9, 3, 3).privatise(gan, three[0], three[1], 0.1f);
            assertThat(Arrays.stream(s3.rawNorms()).min().orElseThrow()).isGreaterThan(clip);
            assertThat(CriticDpSgd.norm(s3.gradient()) * 3).isLessThanOrEqualTo(3 * clip * (1 + 1e-4));
            // A C above the raw norm leaves the gradient alone (compared with this call's own raw norm:
            // spectral normalisation's power iteration moves a little with every training forward).
            double big = one.rawNorms()[0] * 10;
            CriticDpSgd.Step unclipped = planner(big, 1e-9, 1, 1).privatise(gan, in[0], in[1], 0.1f);
            assertThat(CriticDpSgd.norm(unclipped.gradient()))
                    .isCloseTo(unclipped.rawNorms()[0], within(unclipped.rawNorms()[0] * 1e-4));
        }
    }

    @Test
    void noiseHasStddevZCOverTheExpectedBatch() {
        SketchPairs data = TestModels.designer(Styles.CONTOUR, 0, 4);
        try (SketchGan gan = SketchGan.create(TestModels.encoderParams(), SketchGanConfig.defaults(), 1);
                NDManager m = gan.manager().newSubManager()) {
            NDArray[] in = inputs(gan, m, data, 2);
            double clip = 0.01;
            double z = 2;
            // q = 2/8 of 8 records: the expected batch is 2, so the per-weight std is z C / 2.
            float[] clean =
                    planner(clip, 1e-9, 8, 2).privatise(gan, in[0], in[1], 0f).gradient();
            CriticDpSgd.Step noisy = planner(clip, z, 8, 2).privatise(gan, in[0], in[1], 0f);
            int d = clean.length;
            assertThat(d).isGreaterThan(5000);
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < d; i++) {
                double e = noisy.gradient()[i] - clean[i];
                sum += e;
                sq += e * e;
            }
            double std = Math.sqrt(sq / d);
            double expected = z * clip / 2;
            // sampling error of a std estimate over d draws: about expected / sqrt(2 d) (< 1 % here)
            assertThat(std).isCloseTo(expected, within(expected * 0.05));
            assertThat(sum / d).isCloseTo(0, within(4 * expected / Math.sqrt(d)));
            assertThat(noisy.snr()).isGreaterThan(0).isLessThan(1);
        }
    }

    @Test
    void aDpTrainerAccountsEveryCriticStepAndPoissonSamples() {
        SketchPairs data = TestModels.designer(Styles.CONTOUR, 0, 24);
        CriticDpSgd dp = CriticDpSgd.plan(DpSgdSettings.forTarget(1.0, 8, 1e-5, 40), data.size(), 6, seeded(5));
        assertThat(dp.samplingRate()).isEqualTo(0.25);
        assertThat(dp.noiseMultiplier()).isGreaterThan(0.3).isLessThan(3);
        try (SketchTrainer t = SketchTrainer.builder()
                .setModel(SketchGan.create(TestModels.encoderParams(), SketchGanConfig.defaults(), 1))
                .setData(data)
                .optSettings(TrainerSettings.defaults(2).withBatchSize(6))
                .optCriticDp(dp)
                .build()) {
            var disc = t.model().sharedDiscriminatorParams();
            t.warmup(2, null);
            assertThat(dp.steps()).as("warm-up does not touch the critic").isZero();
            var metrics = t.trainSteps(4, null);
            assertThat(dp.steps()).isEqualTo(4);
            assertThat(t.model().sharedDiscriminatorParams()).isNotEqualTo(disc);
            assertThat(metrics.dLoss()).isPositive();
            double eps4 = t.criticPrivacy().orElseThrow().spent().epsilon();
            t.trainSteps(36, null);
            double eps40 = dp.spent().epsilon();
            assertThat(eps4).isPositive().isLessThan(eps40);
            assertThat(eps40)
                    .as("the target is met after the planned 40 steps")
                    .isLessThanOrEqualTo(8)
                    .isGreaterThan(7.9);
        }
        // Poisson batches: sizes vary around q N = 6
        int[] sizes = new int[400];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = dp.sampleBatch().length;
        }
        double mean = Arrays.stream(sizes).average().orElseThrow();
        assertThat(mean).isCloseTo(6, within(0.4));
        assertThat(Arrays.stream(sizes).distinct().count()).isGreaterThan(4);
    }

    @Test
    void settingsAreReadAndValidated() {
        assertThat(DpSgdSettings.read(Config.empty())).isEmpty();
        DpSgdSettings s = DpSgdSettings.read(Config.of(Map.of("dp_sgd_clip_norm", 1.0, "dp_sgd_epsilon", 8)))
                .orElseThrow();
        assertThat(s.dp().targetEpsilon()).isEqualTo(8);
        assertThat(s.dp().delta()).isEqualTo(1e-5);
        assertThat(s.plannedSteps()).isEqualTo(121);
        assertThatThrownBy(() -> DpSgdSettings.read(Config.of(Map.of("dp_sgd_epsilon", 8))))
                .hasMessageContaining("needs 'dp_sgd_clip_norm' > 0");
        assertThatThrownBy(() -> DpSgdSettings.read(Config.of(Map.of("dp_sgd_clip_norm", 1.0))))
                .hasMessageContaining("exactly one of a noise multiplier and a target epsilon");
        assertThatThrownBy(() -> DpSgdSettings.read(Config.of(Map.of("dp_sgd_clip_norm", -1))))
                .hasMessageContaining("must be > 0");
        SketchPairs data = TestModels.designer(Styles.CONTOUR, 0, 4);
        CriticDpSgd wrong = planner(1, 1, 9, 2);
        assertThatThrownBy(() -> SketchTrainer.builder()
                        .setModel(SketchGan.create(TestModels.encoderParams(), SketchGanConfig.defaults(), 1))
                        .setData(data)
                        .optCriticDp(wrong)
                        .build())
                .hasMessageContaining("planned for 9 records");
    }
}
