package dev.atelier.sketch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.ml.nn.ParamOptimizer;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.SketchPairs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator's learned position map ({@link SketchGanConfig#positionChannels()}). */
class PositionMapTest {
    private static final SketchPairs DATA = TestModels.designer(Styles.HATCH, 100, 16);
    private static final String MAP = SketchGan.GEN + "." + SketchGenerator.POSITION;

    @Test
    void theMapIsAZeroStartedCanvasSizedGeneratorWeightKeptByCheckpoints(@TempDir Path dir) throws IOException {
        assertThat(SketchGanConfig.defaults().positionChannels()).isEqualTo(SketchGanConfig.DEFAULT_POSITION_CHANNELS);
        // Models saved before the setting existed have no map.
        assertThat(SketchGanConfig.fromMap(java.util.Map.of()).positionChannels())
                .isZero();
        try (SketchGan plain =
                TestModels.model(SketchGanConfig.defaults().withPositionChannels(0), 3, DATA.sketches())) {
            assertThat(plain.generatorParams().names()).doesNotContain(MAP);
            assertThat(plain.config().toMap()).doesNotContainKey("position_channels");
        }
        SketchGanConfig config = SketchGanConfig.defaults().withPositionChannels(4);
        assertThat(SketchGanConfig.fromMap(config.toMap())).isEqualTo(config);
        Path file = dir.resolve("m.safetensors");
        float[][] inputs = DATA.garments().subList(0, 3).toArray(new float[0][]);
        float[][] before;
        try (SketchGan gan = TestModels.model(config, 3, DATA.sketches())) {
            Tensor map = gan.generatorParams().get(MAP);
            assertThat(map.shape()).containsExactly(1, 4, 32, 32);
            assertThat(map.toFloats()).containsOnly(0f);
            // A non-zero map changes the drawing, and the checkpoint keeps it.
            float[] v = new float[4 * 32 * 32];
            for (int i = 0; i < v.length; i++) {
                v[i] = (i % 5) - 2;
            }
            float[][] blankMap = gan.generate(inputs);
            gan.loadGenerator(ParamSet.builder().putF32(MAP, map.shape(), v).build());
            before = gan.generate(inputs);
            assertThat(before[0]).isNotEqualTo(blankMap[0]);
            gan.save(file, Map.of());
        }
        assertThat(SketchGan.readMetadata(file)).containsEntry("config.position_channels", "4");
        try (SketchGan loaded = SketchGan.load(file)) {
            assertThat(loaded.config()).isEqualTo(config);
            assertThat(loaded.generate(inputs)[0]).containsExactly(before[0]);
        }
        try (SketchGan wide = TestModels.model(config.withCanvas(64), 3, DATA.sketches())) {
            assertThat(wide.generatorParams().get(MAP).shape()).containsExactly(1, 4, 64, 64);
        }
        assertThatThrownBy(() -> SketchGanConfig.defaults().withPositionChannels(-1))
                .hasMessageContaining("position map channels must be in 0..");
    }

    /**
     * Marks at fixed canvas positions (a diagonal hatch on a blank garment): a translation-equivariant
     * decoder can only draw them near the border, where its padding tells it where it is; with the
     * map it draws them everywhere.
     */
    @Test
    void onlyAGeneratorWithTheMapLearnsMarksAtFixedCanvasPositions() {
        double without = interiorL1AfterTraining(SketchGanConfig.defaults().withPositionChannels(0));
        double with = interiorL1AfterTraining(SketchGanConfig.defaults().withPositionChannels(4));
        // Measured: 0.50 without the map (what zero padding and the coarse scales give away), 1e-4 with it.
        assertThat(without).as("without the map").isGreaterThan(0.3);
        assertThat(with).as("with the map").isLessThan(0.05);
    }

    private static double interiorL1AfterTraining(SketchGanConfig config) {
        int n = 32;
        float[] stripes = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                stripes[i * n + j] = (i + j) % 4 == 0 ? -1f : 1f;
            }
        }
        try (SketchGan gan = TestModels.model(config, 5, DATA.sketches())) {
            ParamOptimizer opt = ParamOptimizer.adam(gan.generatorParameters(), 1e-2f, 0.5f, 0.999f);
            double last = Double.NaN;
            for (int step = 0; step < 150; step++) {
                try (NDManager sm = gan.manager().newSubManager()) {
                    NDArray blank = sm.full(new Shape(4, 1, n, n), -1f);
                    NDArray target = sm.create(stripes, new Shape(1, 1, n, n));
                    opt.zeroGradients();
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray out = gan.generate(blank, true);
                        NDArray interior = out.get(":, :, 4:28, 4:28").sub(target.get(":, :, 4:28, 4:28"));
                        NDArray loss = interior.abs().mean();
                        gc.backward(loss);
                        last = loss.getFloat();
                    }
                    opt.step();
                }
            }
            return last;
        }
    }
}
