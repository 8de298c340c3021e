package dev.atelier.sketch.student;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.FeatureNet;
import dev.atelier.sketch.model.VggEncoder;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MacCounterTest {

    /** A parameterised leaf the counter does not know: {@code y = g·x}. */
    static final class Gain extends AbstractBlock {
        private final Parameter gain = addParameter(Parameter.builder()
                .setName("gain")
                .setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(1f))
                .optShape(new Shape(1))
                .build());

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
            return new NDList(
                    in.singletonOrThrow().mul(ps.getValue(gain, in.head().getDevice(), training)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    /**
     * Input [B,4,8,8]:
     * conv3×3 4→8 pad 1:             8·8 · 8 · 4 · 9  = 18432
     * depthwise 3×3 on 8 (groups 8):  8·8 · 8 · 1 · 9  =  4608
     * pointwise 1×1 8→16:             8·8 · 16 · 8     =  8192
     * BatchNorm:                                             0
     * conv3×3 16→4 stride 2 pad 1:    4·4 · 4 · 16 · 9 =  9216
     * flatten 64 → linear 10:         64 · 10          =   640   total 41088
     */
    static SequentialBlock tinyNet() {
        return new SequentialBlock()
                .add(Conv2d.builder()
                        .setFilters(8)
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .build())
                .add(Conv2d.builder()
                        .setFilters(8)
                        .optGroups(8)
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .build())
                .add(Conv2d.builder()
                        .setFilters(16)
                        .setKernelShape(new Shape(1, 1))
                        .build())
                .add(BatchNorm.builder().build())
                .add(Conv2d.builder()
                        .setFilters(4)
                        .setKernelShape(new Shape(3, 3))
                        .optStride(new Shape(2, 2))
                        .optPadding(new Shape(1, 1))
                        .build())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    @Test
    void countsATinyNetExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = tinyNet();
            net.initialize(m, DataType.FLOAT32, new Shape(3, 4, 8, 8));
            List<LayerCost> layers = MacCounter.layers(net, "net");
            assertThat(layers)
                    .extracting(LayerCost::path)
                    .containsExactly("net.conv2d_1", "net.conv2d_2", "net.conv2d_3", "net.conv2d_5", "net.linear");
            assertThat(layers).extracting(LayerCost::macs).containsExactly(18432L, 4608L, 8192L, 9216L, 640L);
            assertThat(layers.get(1).kind()).isEqualTo("conv(groups=8)");
            assertThat(layers)
                    .extracting(LayerCost::weights)
                    .containsExactly(8L * 4 * 9 + 8, 8L * 9 + 8, 16L * 8 + 16, 4L * 16 * 9 + 4, 64L * 10 + 10);
            assertThat(layers.get(3).output()).isEqualTo(new Shape(4, 4, 4));
            assertThat(MacCounter.count(net)).isEqualTo(41088L);
        }
    }

    @Test
    void countIsPerExampleWhateverTheInitialisationBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock one = tinyNet();
            one.initialize(m, DataType.FLOAT32, new Shape(1, 4, 8, 8));
            SequentialBlock many = tinyNet();
            many.initialize(m, DataType.FLOAT32, new Shape(16, 4, 8, 8));
            assertThat(MacCounter.count(one)).isEqualTo(MacCounter.count(many)).isEqualTo(41088L);
        }
    }

    @Test
    void rejectsUnknownParameterisedLayersAndUninitialisedBlocks() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net =
                    new SequentialBlock().add(Blocks.batchFlattenBlock()).add(new Gain());
            assertThatThrownBy(() -> MacCounter.count(net)).isInstanceOf(IllegalStateException.class);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 4));
            assertThatThrownBy(() -> MacCounter.count(net))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Gain");
        }
    }

    /** FeatureNet: 32²·16·1·9 + 16²·32·16·9 + 8²·64·32·9 + 4²·128·64·9 = 147456 + 3·1179648 = 3686400. */
    @Test
    void featureNetEncoderMacsAgreeWithBlockWalkAndHandCount() {
        try (NDManager m = NDManager.newBaseManager()) {
            FeatureNet net = new FeatureNet(10);
            net.initialize(m, DataType.FLOAT32, new Shape(1, 1, 32, 32));
            long walked = MacCounter.layers(net, "").stream()
                    .filter(l -> !l.path().startsWith("head"))
                    .mapToLong(LayerCost::macs)
                    .sum();
            long fromWeights = ModelCosts.convMacs(
                    BlockParams.toParamSet(net, "encoder"), FeatureNet.CHANNELS, new int[] {32, 16, 8, 4});
            assertThat(walked).isEqualTo(fromWeights).isEqualTo(3_686_400L);
        }
        try (var teacher = StudentFixtures.teacher(1)) {
            assertThat(ModelCosts.encoderMacs(teacher.encoder())).isEqualTo(3_686_400L);
        }
    }

    /**
     * VGG-16 blocks 1-2 at 32×32: conv0 32²·64·3·9 + conv2 32²·64·64·9 + conv5 16²·128·64·9 + conv7 16²·128·128·9
     * = 1769472 + 37748736 + 18874368 + 37748736 = 96141312 MACs; weights 1792 + 36928 + 73856 + 147584 = 260160.
     */
    @Test
    void vggEncoderMacsMatchHandCount(@TempDir Path dir) throws Exception {
        long[][] shapes = {{64, 3, 3, 3}, {64, 64, 3, 3}, {128, 64, 3, 3}, {128, 128, 3, 3}};
        int[] index = {0, 2, 5, 7};
        SplittableRandom rng = new SplittableRandom(5);
        ParamSet.Builder b = ParamSet.builder();
        for (int i = 0; i < shapes.length; i++) {
            float[] w = new float[(int) (shapes[i][0] * shapes[i][1] * 9)];
            for (int j = 0; j < w.length; j++) {
                w[j] = (float) rng.nextGaussian() * 0.05f;
            }
            b.putF32("features." + index[i] + ".weight", shapes[i], w);
            b.putF32("features." + index[i] + ".bias", new long[] {shapes[i][0]}, new float[(int) shapes[i][0]]);
        }
        Path file = dir.resolve("vgg.safetensors");
        Safetensors.write(b.build(), file);
        try (NDManager m = NDManager.newBaseManager()) {
            VggEncoder vgg = VggEncoder.load(m, file, 2);
            assertThat(ModelCosts.encoderMacs(vgg)).isEqualTo(96_141_312L);
            assertThat(ModelCosts.encoderParams(vgg)).isEqualTo(260_160L);
        }
    }

    @Test
    void encoderRuleRejectsConvolutionsItCannotPlace() {
        ParamSet odd = ParamSet.builder()
                .putF32("encoder.x.weight", new long[] {7, 1, 3, 3}, new float[63])
                .build();
        assertThatThrownBy(() -> ModelCosts.convMacs(odd, new int[] {16, 32}, new int[] {32, 16}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encoder.x.weight");
        ParamSet twice = ParamSet.builder()
                .putF32("encoder.y.weight", new long[] {16, 1, 3, 3}, new float[144])
                .build();
        assertThatThrownBy(() -> ModelCosts.convMacs(twice, new int[] {16, 16}, new int[] {32, 16}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("several scales");
    }
}
