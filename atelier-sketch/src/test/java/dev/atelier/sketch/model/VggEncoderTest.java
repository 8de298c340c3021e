package dev.atelier.sketch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.SketchPairs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VggEncoderTest {

    /** torchvision vgg16().features tensors of the first two blocks, random values (a fixture, not real weights). */
    static ParamSet vggBlocks12(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ParamSet.Builder b = ParamSet.builder();
        int[][] convs = {{0, 3, 64}, {2, 64, 64}, {5, 64, 128}, {7, 128, 128}};
        for (int[] c : convs) {
            float[] w = new float[c[2] * c[1] * 9];
            float scale = (float) Math.sqrt(2.0 / (c[1] * 9));
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (rng.nextGaussian() * scale);
            }
            b.putF32("features." + c[0] + ".weight", new long[] {c[2], c[1], 3, 3}, w);
            b.putF32("features." + c[0] + ".bias", new long[] {c[2]}, new float[c[2]]);
        }
        return b.build();
    }

    @Test
    void loadsVggShapedWeightsAndProducesTwoScales(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("vgg16-features.safetensors");
        Safetensors.write(vggBlocks12(1), file);
        SketchPairs data = TestModels.designer(Styles.CONTOUR, 0, 8);
        try (SketchGan gan = SketchGan.create(
                m -> {
                    try {
                        return VggEncoder.load(m, file, 2);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                },
                SketchGanConfig.defaults().withDiscChannels(16, 16),
                2)) {
            assertThat(gan.encoder().channels()).containsExactly(64, 128);
            try (NDManager sm = gan.manager().newSubManager()) {
                NDList f = gan.encode(Images.batch(sm, data.garments(), new int[] {0, 1}));
                assertThat(f.getShapes()).containsExactly(new Shape(2, 64, 32, 32), new Shape(2, 128, 16, 16));
            }
            gan.setStyleCard(gan.computeStyleCard(data.sketches()));
            float[][] out = gan.generate(new float[][] {data.garments().get(0)});
            assertThat(out[0]).hasSize(1024);
            assertThat(gan.encoder().parameters().names()).contains("encoder.features.7.bias");
            Path ckpt = dir.resolve("model.safetensors");
            gan.save(ckpt, java.util.Map.of());
            try (SketchGan loaded = SketchGan.load(ckpt)) {
                assertThat(loaded.encoder().kind()).isEqualTo(VggEncoder.KIND);
                assertThat(loaded.generate(new float[][] {data.garments().get(0)})[0])
                        .containsExactly(out[0]);
            }
        }
    }

    @Test
    void namesTheMissingOrMisShapedTensor(@TempDir Path dir) throws IOException {
        ParamSet full = vggBlocks12(2);
        Path missing = dir.resolve("missing.safetensors");
        Safetensors.write(full.select(n -> !n.equals("features.5.weight")), missing);
        Path wrong = dir.resolve("wrong.safetensors");
        Safetensors.write(
                full.merge(ParamSet.builder()
                        .putF32("features.2.weight", new long[] {64, 32, 3, 3}, new float[64 * 32 * 9])
                        .build()),
                wrong);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> VggEncoder.load(m, missing, 2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("missing.safetensors")
                    .hasMessageContaining("'features.5.weight'")
                    .hasMessageContaining("block 2");
            assertThatThrownBy(() -> VggEncoder.load(m, wrong, 2))
                    .hasMessageContaining("'features.2.weight' has shape [64, 32, 3, 3]")
                    .hasMessageContaining("expected [64, 64, 3, 3]");
            assertThatThrownBy(() -> VggEncoder.load(m, dir.resolve("wrong.safetensors"), 3))
                    .hasMessageContaining("features.2.weight");
            assertThatThrownBy(() -> VggEncoder.load(m, missing, 1)).hasMessageContaining("blocks must be 2..4");
        }
    }
}
