package dev.atelier.sketch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.GramMatrix;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class GramBalanceTest {
    private static final GramStats STATS =
            new GramStats(new double[] {4e-3, 1e-3, 1e-5, 5e-5}, new double[] {1e-4, 4e-5, 1e-5, 8e-6});

    @Test
    void noneIsOneForEveryScale() {
        assertThat(GramBalance.NONE.factors(STATS)).containsExactly(1f, 1f, 1f, 1f);
    }

    @Test
    void spreadIsOneDesignerFactorFromHerTotalSpread() {
        float expected = (float) (GramBalance.REFERENCE_SPREAD / (1e-4 + 4e-5 + 1e-5 + 8e-6));
        assertThat(GramBalance.SPREAD.factors(STATS)).containsExactly(expected, expected, expected, expected);
        GramStats tighter =
                new GramStats(STATS.energy(), new double[] {1e-5, 4e-6, 1e-6, 8e-7}); // ten times less varied
        assertThat(GramBalance.SPREAD.factors(tighter)[0]).isCloseTo(10 * expected, within(1e-3f * expected));
    }

    @Test
    void scaleSpreadNormalisesEveryScaleByItsOwnSpread() {
        float[] f = GramBalance.SCALE_SPREAD.factors(STATS);
        double[] v = STATS.spread();
        for (int s = 0; s < 4; s++) {
            assertThat((double) f[s] * v[s]).isCloseTo(GramBalance.REFERENCE_SPREAD / 4, within(1e-9));
        }
    }

    @Test
    void factorsAreClampedSoNoStatisticsCanSwampTheOtherLosses() {
        GramStats identical = new GramStats(new double[] {1e-3, 1e-3}, new double[] {0, 0});
        GramStats wild = new GramStats(new double[] {1, 1}, new double[] {1, 1});
        assertThat(GramBalance.SPREAD.factors(identical)).containsOnly(GramBalance.MAX_FACTOR);
        assertThat(GramBalance.SCALE_SPREAD.factors(identical)).containsOnly(GramBalance.MAX_FACTOR);
        assertThat(GramBalance.SPREAD.factors(wild)).containsOnly(GramBalance.MIN_FACTOR);
        assertThat(GramBalance.NONE.factors(identical)).containsOnly(1f);
    }

    @Test
    void parsesKeysAndRejectsOthers() {
        assertThat(GramBalance.parse(" Scale_Spread")).isEqualTo(GramBalance.SCALE_SPREAD);
        assertThat(GramBalance.parse(GramBalance.SPREAD.key())).isEqualTo(GramBalance.SPREAD);
        assertThatThrownBy(() -> GramBalance.parse("hatch"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spread");
    }

    @Test
    void statsMatchADirectComputationAndIdenticalSketchesHaveNoSpread() {
        List<float[]> sketches = TestModels.designer(Styles.STIPPLE, 0, 70).sketches(); // two chunks of 64
        try (SketchGan gan = SketchGan.create(TestModels.encoderParams(), SketchGanConfig.defaults(), 1)) {
            GramStats st = GramStats.of(gan, sketches);
            int k = gan.encoder().channels().length;
            assertThat(st.scales()).isEqualTo(k);
            double[] energy = new double[k];
            double[] spread = new double[k];
            try (NDManager m = gan.manager().newSubManager()) {
                int[] all = new int[sketches.size()];
                for (int i = 0; i < all.length; i++) {
                    all[i] = i;
                }
                List<NDArray> g = GramMatrix.ofAll(gan.encode(Images.batch(m, sketches, all)));
                for (int s = 0; s < k; s++) {
                    energy[s] = g.get(s).square().mean().getFloat();
                    NDArray mean = g.get(s).mean(new int[] {0}, true);
                    spread[s] = g.get(s).sub(mean).square().mean().getFloat();
                }
            }
            for (int s = 0; s < k; s++) {
                assertThat(st.energy()[s]).isCloseTo(energy[s], within(1e-4 * energy[s]));
                assertThat(st.spread()[s]).isCloseTo(spread[s], within(1e-3 * spread[s]));
                assertThat(st.spread()[s]).isPositive();
            }
            List<float[]> same = new ArrayList<>(Collections.nCopies(5, sketches.get(0)));
            GramStats one = GramStats.of(gan, same);
            for (int s = 0; s < k; s++) {
                assertThat(one.spread()[s]).isLessThan(1e-6 * one.energy()[s]);
            }
        }
    }

    @Test
    void theTrainerUsesHerFactorsAndPlainTrainingKeepsOnes() {
        SketchPairs data = TestModels.designer(Styles.HATCH, 0, 24);
        try (SketchTrainer plain = SketchTrainerTest.trainer(
                        data, TrainerSettings.defaults(1).withGramBalance(GramBalance.NONE));
                SketchTrainer balanced = SketchTrainerTest.trainer(
                        data, TrainerSettings.defaults(1).withGramBalance(GramBalance.SPREAD))) {
            assertThat(plain.gramFactors()).containsOnly(1f);
            GramStats st = GramStats.of(balanced.model(), data.sketches());
            assertThat(balanced.gramFactors()).containsExactly(GramBalance.SPREAD.factors(st));
            StepMetrics p = plain.warmup(1, null);
            StepMetrics b = balanced.warmup(1, null);
            // same seed, same first batch and weights: the Gram term differs exactly by her factor
            assertThat(b.gram()).isCloseTo(p.gram() * balanced.gramFactors()[0], within(1e-3 * b.gram()));
        }
    }

    /** The defaults chosen on the validation split (docs/demo.md, "Data-derived Gram balance"). */
    @Test
    void theDefaultsBalanceByHerSpreadWithGramWeight5000() {
        TrainerSettings d = TrainerSettings.defaults(1);
        assertThat(d.gramBalance()).isEqualTo(GramBalance.SPREAD);
        assertThat(d.weights().gram()).isEqualTo(5000f);
        assertThat(d.withGramBalance(GramBalance.NONE).gramBalance()).isEqualTo(GramBalance.NONE);
    }
}
