package dev.atelier.sketch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.testing.Params;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SketchTrainerTest {
    static final SketchPairs DATA = TestModels.designer(Styles.CONTOUR, 0, 48);

    static SketchTrainer trainer(SketchPairs data, TrainerSettings settings) {
        return SketchTrainer.builder()
                .setModel(SketchGan.create(TestModels.encoderParams(), SketchGanConfig.defaults(), 1))
                .setData(data)
                .optSettings(settings)
                .build();
    }

    /** Mean |generated − reference| in [0,1] units over the first n pairs, inference mode. */
    static double l1(SketchTrainer t, SketchPairs data, int n) {
        float[][] out = t.generate(data.garments().subList(0, n).toArray(new float[0][]));
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float[] ref = data.sketches().get(i);
            for (int p = 0; p < ref.length; p++) {
                sum += Math.abs(out[i][p] - ref[p]);
            }
        }
        return sum / (n * 1024.0);
    }

    @Test
    void inkTermIsSetAtTheFirstGanStepFromHerGreysAndHerModelsDeficitAndOffForBlackOnWhite() {
        TrainerSettings ink = TrainerSettings.defaults(3)
                .withBatchSize(4)
                .withWeights(LossWeights.defaults().withInk(10));
        SketchPairs detail = TestModels.designer(Styles.DETAIL, 0, 16);
        try (SketchTrainer contour = trainer(DATA, ink);
                SketchTrainer grey = trainer(detail, ink)) {
            // Off during the warm-up: the deficit is measured on the warmed-up model.
            grey.warmup(2, null);
            assertThat(grey.inkWeight()).isZero();
            assertThat(grey.inkDeficit()).isNaN();
            StepMetrics s = grey.trainSteps(2, null);
            assertThat(s.l1()).isPositive();
            double m = InkStats.of(detail.sketches()).midGrey();
            assertThat(m).isGreaterThan(0.1);
            assertThat(grey.inkDeficit()).isBetween(0.0, 1.0);
            assertThat(grey.inkWeight())
                    .isCloseTo((float) (10 * m * grey.inkDeficit() * grey.inkDeficit()), within(1e-5f));
            contour.trainSteps(1, null);
            assertThat(contour.inkDeficit()).isZero();
            assertThat(contour.inkWeight()).isZero();
        }
    }

    @Test
    void inkDensityTermChangesTheGeneratorStepAndZeroTurnsItOff() {
        TrainerSettings off = TrainerSettings.defaults(3)
                .withBatchSize(4)
                .withGenEma(0)
                .withWeights(LossWeights.defaults().withDensity(0));
        try (SketchTrainer a = trainer(DATA, off);
                SketchTrainer b = trainer(DATA, off);
                SketchTrainer dense =
                        trainer(DATA, off.withWeights(LossWeights.defaults().withDensity(50)))) {
            for (SketchTrainer t : List.of(a, b, dense)) {
                t.warmup(2, null);
            }
            float[] wa = flat(a.model().generatorParams());
            float[] wb = flat(b.model().generatorParams());
            float[] wd = flat(dense.model().generatorParams());
            // Same settings, same seed: the same weights; the density term alone moves them.
            assertThat(wb).containsExactly(wa);
            assertThat(maxDiff(wd, wa)).isGreaterThan(1e-6);
        }
    }

    @Test
    void generatorAverageIsWhatTheModelHoldsBetweenCallsAndTrainingContinuesFromTheLastStep() {
        float decay = 0.5f;
        TrainerSettings plain = TrainerSettings.defaults(3).withBatchSize(4).withGenEma(0);
        try (SketchTrainer raw = trainer(DATA, plain);
                SketchTrainer avg = trainer(DATA, plain.withGenEma(decay))) {
            List<float[]> rawSteps = new ArrayList<>();
            List<float[]> avgSteps = new ArrayList<>();
            raw.warmup(2, m -> rawSteps.add(flat(raw.model().generatorParams())));
            avg.warmup(2, m -> avgSteps.add(flat(avg.model().generatorParams())));
            raw.trainSteps(2, m -> rawSteps.add(flat(raw.model().generatorParams())));
            avg.trainSteps(2, m -> avgSteps.add(flat(avg.model().generatorParams())));
            // The average folds in every step (warm-up and GAN), starting at the first step's weights.
            float[] expected = avgSteps.get(0).clone();
            for (float[] w : avgSteps.subList(1, avgSteps.size())) {
                for (int i = 0; i < w.length; i++) {
                    expected[i] = decay * expected[i] + (1 - decay) * w[i];
                }
            }
            float[] shown = flat(avg.model().generatorParams());
            float[] last = avgSteps.get(avgSteps.size() - 1);
            assertThat(maxDiff(shown, expected)).isLessThan(1e-5);
            assertThat(maxDiff(shown, last))
                    .as("the average differs from the last step")
                    .isGreaterThan(1e-3);
            // Averaging never touches the trajectory: step for step the same weights as without it.
            for (int k = 0; k < rawSteps.size(); k++) {
                assertThat(maxDiff(avgSteps.get(k), rawSteps.get(k)))
                        .as("step %d", k)
                        .isLessThan(1e-6);
            }
            assertThat(maxDiff(flat(raw.model().generatorParams()), last)).isLessThan(1e-6);
        }
    }

    /** Trainable generator weights (BatchNorm running statistics left out), in parameter order. */
    private static float[] flat(ParamSet gen) {
        return Params.flat(gen.select(name -> !name.contains("running")));
    }

    private static double maxDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void aFewLocalStepsLowerTheL1ToTheReferenceSketches() {
        try (SketchTrainer t = trainer(DATA, TrainerSettings.defaults(3).withBatchSize(8))) {
            double before = l1(t, DATA, 16);
            List<StepMetrics> steps = new ArrayList<>();
            t.warmup(8, steps::add);
            t.trainSteps(8, steps::add);
            double after = l1(t, DATA, 16);
            assertThat(steps).hasSize(16);
            assertThat(t.steps()).isEqualTo(16);
            assertThat(after).as("L1 before %.4f, after %.4f", before, after).isLessThan(0.8 * before);
            StepMetrics last = steps.get(steps.size() - 1);
            assertThat(last.dLoss()).isPositive();
            assertThat(last.decorr()).isPositive();
            assertThat(last.gram()).isPositive();
            assertThat(last.l1()).isPositive();
            assertThat(steps.get(0).dLoss())
                    .as("warm-up does not train the critic")
                    .isZero();
        }
    }

    @Test
    void encoderStaysFrozenWhileGeneratorAndCriticLearn() {
        try (SketchTrainer t = trainer(DATA, TrainerSettings.defaults(4).withBatchSize(4))) {
            ParamSet enc = t.model().encoder().parameters();
            ParamSet gen = t.model().generatorParams();
            ParamSet disc = t.model().discriminatorParams();
            t.trainSteps(2, null);
            assertThat(t.model().encoder().parameters()).isEqualTo(enc);
            assertThat(t.model().generatorParams()).isNotEqualTo(gen);
            assertThat(t.model().discriminatorParams()).isNotEqualTo(disc);
        }
    }

    @Test
    void equalSeedsGiveEqualTraining() {
        TrainerSettings s = TrainerSettings.defaults(9).withBatchSize(4);
        try (SketchTrainer a = trainer(DATA, s);
                SketchTrainer b = trainer(DATA, s)) {
            StepMetrics ma = a.trainSteps(3, null);
            StepMetrics mb = b.trainSteps(3, null);
            assertThat(mb.dLoss()).isCloseTo(ma.dLoss(), within(1e-5));
            assertThat(mb.l1()).isCloseTo(ma.l1(), within(1e-5));
            float[][] x = {DATA.garments().get(5)};
            float[] ga = a.generate(x)[0];
            float[] gb = b.generate(x)[0];
            for (int i = 0; i < ga.length; i++) {
                assertThat(gb[i]).isCloseTo(ga[i], within(1e-4f));
            }
        }
    }

    @Test
    void unpairedDataTrainsWithoutPixelLoss() {
        SketchPairs paired = TestModels.designer(Styles.STIPPLE, 200, 20);
        SketchPairs unpaired =
                new SketchPairs(paired.garments(), paired.sketches().subList(0, 13), false);
        try (SketchTrainer t =
                trainer(unpaired, TrainerSettings.defaults(5).withBatchSize(4).withCacheFeatures(false))) {
            StepMetrics m = t.trainSteps(2, null);
            assertThat(m.l1()).isZero();
            assertThat(m.semantic()).isFinite().isPositive();
            assertThat(m.dLoss()).isFinite().isPositive();
        }
        assertThatThrownBy(() ->
                        new SketchPairs(paired.garments(), paired.sketches().subList(0, 13), true))
                .hasMessageContaining("as many garments as sketches");
    }

    @Test
    void cachedAndPerStepFeaturesTrainTheSame() {
        TrainerSettings s = TrainerSettings.defaults(12).withBatchSize(4);
        try (SketchTrainer cached = trainer(DATA, s);
                SketchTrainer direct = trainer(DATA, s.withCacheFeatures(false))) {
            StepMetrics a = cached.trainSteps(2, null);
            StepMetrics b = direct.trainSteps(2, null);
            assertThat(b.gram()).isCloseTo(a.gram(), within(1e-6 + 1e-3 * a.gram()));
            assertThat(b.content()).isCloseTo(a.content(), within(1e-4));
            assertThat(b.semantic()).isCloseTo(a.semantic(), within(1e-4));
            assertThat(b.dLoss()).isCloseTo(a.dLoss(), within(1e-4));
        }
    }
    /** Eight of her pairs and 24 garments she has no sketch of: most batches of 8 hold both. */
    static SketchPairs fewSketches() {
        SketchPairs many = TestModels.designer(Styles.STIPPLE, 300, 32);
        return SketchPairs.paired(many.garments().subList(0, 8), many.sketches().subList(0, 8))
                .withUnsketched(many.garments().subList(8, 32));
    }

    @Test
    void unsketchedGarmentsMoveTheGeneratorAndNoneTrainsAsHerPairsAlone() {
        SketchPairs few = fewSketches();
        SketchPairs pairsOnly = new SketchPairs(few.garments(), few.sketches(), true);
        TrainerSettings s = TrainerSettings.defaults(4).withBatchSize(8).withGenEma(0);
        try (SketchTrainer alone = trainer(pairsOnly, s);
                SketchTrainer none = trainer(pairsOnly.withUnsketched(List.of()), s);
                SketchTrainer more = trainer(few, s)) {
            for (SketchTrainer t : List.of(alone, none, more)) {
                t.warmup(1, null);
                t.trainSteps(2, null);
            }
            float[] wa = flat(alone.model().generatorParams());
            assertThat(flat(none.model().generatorParams())).containsExactly(wa);
            assertThat(maxDiff(flat(more.model().generatorParams()), wa)).isGreaterThan(1e-6);
            // her tone curve and her ink probe stay on her pairs
            assertThat(more.data().garments()).hasSize(8);
            assertThat(more.data().trainingGarments()).hasSize(32);
        }
    }

    @Test
    void herPairsFillAtLeastHalfOfAMixedBatchAndLeadIt() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        // 12 sketches beside 500 photos: exactly half of each batch of 8 (a whole number, no extra draw)
        for (int b = 0; b < 200; b++) {
            SketchTrainer.Batch batch = SketchTrainer.mixedBatch(rng, 12, 500, 8);
            assertThat(batch.pairedRows()).isEqualTo(4);
            for (int k = 0; k < 8; k++) {
                assertThat(batch.sketches()[k]).isBetween(0, 11);
                if (k < 4) {
                    assertThat(batch.garments()[k]).isEqualTo(batch.sketches()[k]);
                } else {
                    assertThat(batch.garments()[k]).isBetween(12, 511);
                }
            }
        }
        // 100 pairs beside 3 unsketched garments: their share of the rows is theirs of her garments
        long unsketchedRows = 0;
        int batches = 4000;
        for (int b = 0; b < batches; b++) {
            SketchTrainer.Batch batch = SketchTrainer.mixedBatch(rng, 100, 3, 8);
            assertThat(batch.pairedRows()).isBetween(7, 8);
            unsketchedRows += 8 - batch.pairedRows();
        }
        assertThat(unsketchedRows / (8.0 * batches)).isCloseTo(3 / 103.0, within(0.006));
        // a batch larger than her data is cut as the plain draw is
        assertThat(SketchTrainer.mixedBatch(rng, 1, 2, 16).garments()).hasSize(3);
    }

    @Test
    void unsketchedGarmentsTrainTheSameCachedOrPerStep() {
        // The cache holds a garment-side semantic target (her sketch's embedding for a pair, the
        // garment's for an unsketched one); the per-step path builds it from the batch's leading pairs.
        TrainerSettings s = TrainerSettings.defaults(6).withBatchSize(8);
        try (SketchTrainer cached = trainer(fewSketches(), s);
                SketchTrainer direct = trainer(fewSketches(), s.withCacheFeatures(false))) {
            StepMetrics a = cached.trainSteps(2, null);
            StepMetrics b = direct.trainSteps(2, null);
            assertThat(a.l1()).isPositive();
            assertThat(b.l1()).isCloseTo(a.l1(), within(1e-5));
            assertThat(b.gram()).isCloseTo(a.gram(), within(1e-6 + 1e-3 * a.gram()));
            assertThat(b.content()).isCloseTo(a.content(), within(1e-4));
            assertThat(b.semantic()).isCloseTo(a.semantic(), within(1e-4));
            assertThat(b.dLoss()).isCloseTo(a.dLoss(), within(1e-4));
        }
    }

    @Test
    void unsketchedGarmentsAreCheckedAndOnlyPairedDataHasThem() {
        SketchPairs few = fewSketches();
        assertThatThrownBy(() -> new SketchPairs(few.garments(), few.sketches(), false, few.unsketched()))
                .hasMessageContaining("unpaired data")
                .hasMessageContaining("24 unsketched");
        assertThatThrownBy(() -> few.withUnsketched(List.of(new float[100])))
                .hasMessageContaining("unsketched garment 0 has 100 pixels");
        // her pairs first, then the unsketched garments, in order
        assertThat(few.trainingGarments().get(8)).isSameAs(few.unsketched().get(0));
        assertThat(few.trainingGarments().get(7)).isSameAs(few.garments().get(7));
        assertThat(few.size()).isEqualTo(8);
        // her held-out split is drawn from her pairs; the unsketched garments all stay in training
        SketchPairs twenty = TestModels.designer(Styles.STIPPLE, 400, 20).withUnsketched(few.unsketched());
        var split = dev.atelier.sketch.fed.LocalHoldOut.split(twenty);
        assertThat(split.heldOut().size()).isEqualTo(2);
        assertThat(split.train().garments()).hasSize(18);
        assertThat(split.train().unsketched()).containsExactlyElementsOf(few.unsketched());
    }
}
