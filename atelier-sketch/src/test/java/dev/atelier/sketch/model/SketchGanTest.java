package dev.atelier.sketch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.atelier.core.params.ParamSet;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.SketchPairs;
import java.util.List;
import org.junit.jupiter.api.Test;

class SketchGanTest {
    private static final SketchPairs DATA = TestModels.designer(Styles.HATCH, 0, 24);

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    @Test
    void shapesThroughEncoderGeneratorAndCritic() {
        try (SketchGan gan = TestModels.model(SketchGanConfig.defaults(), 1, DATA.sketches());
                NDManager sm = gan.manager().newSubManager()) {
            NDArray x = Images.batch(sm, DATA.garments(), range(5));
            NDList e = gan.encode(x);
            assertThat(e.getShapes())
                    .containsExactly(
                            new Shape(5, 16, 32, 32),
                            new Shape(5, 32, 16, 16),
                            new Shape(5, 64, 8, 8),
                            new Shape(5, 128, 4, 4));
            assertThat(gan.stylise(e).getShapes()).containsExactly(e.getShapes());
            NDArray sketch = gan.generate(x, true);
            assertThat(sketch.getShape()).isEqualTo(new Shape(5, 1, 32, 32));
            assertThat(sketch.max().getFloat()).isLessThanOrEqualTo(1f);
            assertThat(sketch.min().getFloat()).isGreaterThanOrEqualTo(-1f);
            NDArray stack = gan.criticInput(gan.encode(sketch));
            assertThat(stack.getShape()).isEqualTo(new Shape(5, 4, 32, 32));
            NDList critic = gan.criticize(stack, true);
            assertThat(critic.get(0).getShape()).isEqualTo(new Shape(5, 1, 4, 4));
            assertThat(critic.get(1).getShape()).isEqualTo(new Shape(5, 64));
        }
    }

    @Test
    void parameterNamesSeparateGeneratorCriticAndBatchNorm() {
        try (SketchGan gan = TestModels.model(SketchGanConfig.defaults(), 1, DATA.sketches())) {
            ParamSet g = gan.generatorParams();
            ParamSet d = gan.discriminatorParams();
            assertThat(g.names())
                    .allMatch(n -> n.startsWith("gen."))
                    .contains(
                            "gen.block1.alpha", "gen.block3.down.bn.gamma", "gen.out.weight", "gen.bottom.conv.weight");
            assertThat(d.names())
                    .allMatch(n -> n.startsWith("disc."))
                    .contains(
                            "disc.stage1.conv.weight",
                            "disc.stage1.bn.runningMean",
                            "disc.stage3.bn.gamma",
                            "disc.head.weight");
            ParamSet shared = gan.sharedDiscriminatorParams();
            assertThat(shared.names())
                    .noneMatch(n -> n.contains(".bn."))
                    .isNotEmpty()
                    .containsExactlyElementsOf(
                            d.names().stream().filter(n -> !n.contains(".bn.")).toList());
            // Spectral norm's power-iteration vector is a buffer, never a parameter.
            assertThat(d.names()).noneMatch(n -> n.endsWith(".u"));
            assertThat(gan.generatorWeightCount()).isGreaterThan(10_000);
            assertThat(gan.discriminatorWeightCount()).isGreaterThan(10_000);
        }
    }

    @Test
    void adainOutputCarriesTheStyleCardStatistics() {
        try (SketchGan gan = TestModels.model(SketchGanConfig.defaults(), 1, DATA.sketches());
                NDManager sm = gan.manager().newSubManager()) {
            StyleCard card = gan.styleCard();
            NDList content = gan.encode(Images.batch(sm, DATA.garments(), range(6)));
            NDList a = gan.stylise(content);
            for (int s = 0; s < card.scales(); s++) {
                long c = a.get(s).getShape().get(1);
                float[][] out = meanAndVariance(a.get(s), 6, c);
                float[] contentVariance = meanAndVariance(content.get(s), 6, c)[1];
                for (int b = 0; b < 6; b++) {
                    for (int k = 0; k < c; k++) {
                        int i = (int) (b * c + k);
                        float sigma = card.std(s)[k];
                        assertThat(out[0][i])
                                .as("scale %d mean", s)
                                .isCloseTo(card.mean(s)[k], within(1e-3f + 1e-3f * sigma));
                        // IN divides by sqrt(v + eps): the output std is sigma * sqrt(v / (v + eps)).
                        double v = contentVariance[i];
                        double expected = sigma * Math.sqrt(v / (v + 1e-5));
                        assertThat(Math.sqrt(out[1][i]))
                                .as("scale %d std", s)
                                .isCloseTo(expected, within(1e-2 * sigma + 1e-4));
                    }
                }
            }
        }
    }

    /** Per example and channel over space: {@code [means, biased variances]}, each {@code B·C} long. */
    private static float[][] meanAndVariance(NDArray f, int b, long c) {
        NDArray flat = f.reshape(b, c, -1);
        NDArray mean = flat.mean(new int[] {2}, true);
        return new float[][] {
            mean.toFloatArray(), flat.sub(mean).square().mean(new int[] {2}).toFloatArray()
        };
    }

    @Test
    void styleCardIsComputedFromTheSketchesEncoderStatistics() {
        try (SketchGan gan = TestModels.model(SketchGanConfig.defaults(), 1, DATA.sketches());
                NDManager sm = gan.manager().newSubManager()) {
            NDList e = gan.encode(
                    Images.batch(sm, DATA.sketches(), range(DATA.sketches().size())));
            NDArray finest = e.get(0).transpose(1, 0, 2, 3).reshape(16, -1);
            float[] mean = finest.mean(new int[] {1}).toFloatArray();
            for (int c = 0; c < 16; c++) {
                assertThat(gan.styleCard().mean(0)[c]).isCloseTo(mean[c], within(1e-4f + 1e-4f * Math.abs(mean[c])));
            }
        }
    }

    @Test
    void skipWeightsStartAtZeroAndReceiveGradient() {
        try (SketchGan gan = TestModels.model(SketchGanConfig.defaults(), 1, DATA.sketches());
                NDManager sm = gan.manager().newSubManager()) {
            List<Parameter> alphas = gan.generator().skipWeights();
            assertThat(alphas).hasSize(3);
            for (Parameter a : alphas) {
                assertThat(a.getArray().toFloatArray()).containsExactly(0f);
            }
            NDArray x = Images.batch(sm, DATA.garments(), range(4));
            NDArray y = Images.batch(sm, DATA.sketches(), range(4));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(gan.generate(x, true).sub(y).abs().mean());
            }
            for (Parameter a : alphas) {
                assertThat(Math.abs(a.getArray().getGradient().getFloat()))
                        .as(a.getName())
                        .isGreaterThan(0f);
            }
        }
    }

    @Test
    void criticStartsIdenticalForEqualSeedsWithoutAnEncoder() {
        ParamSet initial = SketchGan.initialSharedDiscriminator(4, SketchGanConfig.defaults(), 5);
        try (SketchGan a = TestModels.model(SketchGanConfig.defaults(), 5, DATA.sketches())) {
            assertThat(a.sharedDiscriminatorParams()).isEqualTo(initial);
        }
        assertThat(SketchGan.initialSharedDiscriminator(4, SketchGanConfig.defaults(), 6))
                .isNotEqualTo(initial);
    }

    @Test
    void rejectsIncompatibleGramSizeAndMissingStyleCard() {
        assertThatThrownBy(() -> SketchGan.create(
                        TestModels.encoderParams(), SketchGanConfig.defaults().withGramSize(24), 1))
                .hasMessageContaining("Gram size 24");
        try (SketchGan gan = SketchGan.create(TestModels.encoderParams(), SketchGanConfig.defaults(), 1)) {
            assertThatThrownBy(() -> gan.generate(new float[][] {DATA.garments().get(0)}))
                    .hasMessageContaining("style card");
        }
    }
}
