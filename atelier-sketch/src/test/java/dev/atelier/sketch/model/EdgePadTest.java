package dev.atelier.sketch.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.atelier.core.params.ParamSet;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.FeatureNet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Pins the single-gather {@link EdgePad} and the unpadded-convolution {@link FeatureNetEncoder} to
 * the forms they replaced (slices, repeats and concatenations; the stage block run on the map
 * extended by 1 px and cropped): same values and same input gradients on random inputs.
 */
class EdgePadTest {
    /** The first edge padding, kept here as the reference: slices, repeats, concatenations. */
    static NDArray sliceConcatPad(NDArray x, int m) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDArray rows = NDArrays.concat(
                new NDList(
                        x.get(":, :, 0:1, :").repeat(2, m),
                        x,
                        x.get(":, :, " + (h - 1) + ":" + h + ", :").repeat(2, m)),
                2);
        return NDArrays.concat(
                new NDList(
                        rows.get(":, :, :, 0:1").repeat(3, m),
                        rows,
                        rows.get(":, :, :, " + (w - 1) + ":" + w).repeat(3, m)),
                3);
    }

    static NDArray crop(NDArray x, int m) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        return x.get(":, :, " + m + ":" + (h - m) + ", " + m + ":" + (w - m));
    }

    @Test
    void edgePaddingRepeatsTheOutermostPixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(6f).reshape(1, 1, 2, 3);
            NDArray p = EdgePad.replicate(x, 2);
            assertThat(p.getShape()).isEqualTo(new Shape(1, 1, 6, 7));
            assertThat(p.get("0, 0, 0, :").toFloatArray()).containsExactly(0, 0, 0, 1, 2, 2, 2);
            assertThat(p.get("0, 0, 5, :").toFloatArray()).containsExactly(3, 3, 3, 4, 5, 5, 5);
            assertThat(p.get("0, 0, :, 0").toFloatArray()).containsExactly(0, 0, 0, 3, 3, 3);
            assertThat(crop(p, 2).toFloatArray()).containsExactly(x.toFloatArray());
            assertThat(EdgePad.replicate(x, 0)).isSameAs(x);
        }
    }

    @Test
    void gatherEqualsSlicesAndConcatenationsWithTheSameGradient() {
        int[][] cases = {{3, 2, 5, 7, 1}, {2, 4, 8, 8, 1}, {1, 3, 4, 6, 2}, {2, 1, 1, 3, 1}};
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            for (int[] c : cases) {
                Shape shape = new Shape(c[0], c[1], c[2], c[3]);
                int margin = c[4];
                NDArray x = m.randomUniform(-1, 1, shape);
                NDArray weights = m.randomUniform(-1, 1, new Shape(c[0], c[1], c[2] + 2 * margin, c[3] + 2 * margin));
                Result gather = padAndGradient(x, weights, a -> EdgePad.replicate(a, margin));
                Result reference = padAndGradient(x, weights, a -> sliceConcatPad(a, margin));
                assertThat(gather.value.getShape()).isEqualTo(reference.value.getShape());
                assertThat(gather.value.toFloatArray())
                        .as("values %s", shape)
                        .containsExactly(reference.value.toFloatArray());
                float[] g = gather.gradient.toFloatArray();
                float[] r = reference.gradient.toFloatArray();
                assertThat(g).hasSameSizeAs(r);
                for (int i = 0; i < g.length; i++) {
                    assertThat(Math.abs(g[i] - r[i]))
                            .as("gradient %d of %s", i, shape)
                            .isLessThan(1e-6f);
                }
            }
        }
    }

    /**
     * The generator's 3×3 convolution: same size as its input, parameters {@code weight} and
     * {@code bias}, the interior equal to a zero-padded convolution with the same weights and the
     * border equal to a convolution of the edge-replicated map.
     */
    @Test
    void edgePaddedConvolutionConvolvesTheReplicatedMap() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(9);
            EdgePaddedConv2d conv = EdgePaddedConv2d.of(5, 3);
            conv.initialize(m, DataType.FLOAT32, new Shape(2, 3, 6, 7));
            assertThat(conv.getDirectParameters().keys()).containsExactly("weight", "bias");
            assertThat(conv.getOutputShapes(new Shape[] {new Shape(2, 3, 6, 7)})[0])
                    .isEqualTo(new Shape(2, 5, 6, 7));
            NDArray x = m.randomUniform(-1, 1, new Shape(2, 3, 6, 7));
            NDArray w = conv.getParameters().get("weight").getArray();
            NDArray b = conv.getParameters().get("bias").getArray();
            ParameterStore store = new ParameterStore(m, false);
            NDArray y = conv.forward(store, new NDList(x), false).singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(new Shape(2, 5, 6, 7));
            NDArray reference = ai.djl.nn.convolutional.Conv2d.conv2d(sliceConcatPad(x, 1), w, b)
                    .singletonOrThrow();
            assertClose(y, reference, 1e-6, "edge-padded convolution");
            NDArray zeroPadded = ai.djl.nn.convolutional.Conv2d.conv2d(
                            x, w, b, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                    .singletonOrThrow();
            assertClose(crop(y, 1), crop(zeroPadded, 1), 1e-6, "interior");
            assertThat(y.get(":, :, :, 0")
                            .sub(zeroPadded.get(":, :, :, 0"))
                            .abs()
                            .max()
                            .getFloat())
                    .as("column 0 differs from zero padding")
                    .isGreaterThan(1e-3f);
        }
    }

    private record Result(NDArray value, NDArray gradient) {}

    private static Result padAndGradient(NDArray x0, NDArray weights, Function<NDArray, NDArray> pad) {
        NDArray x = x0.duplicate();
        x.setRequiresGradient(true);
        NDArray value;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            value = pad.apply(x);
            gc.backward(value.mul(weights).sum());
        }
        return new Result(value.stopGradient(), x.getGradient().duplicate());
    }

    /**
     * The encoder's stages as plain ops on an edge-padded map equal the FeatureNet stage blocks (zero
     * padding) run on the map extended by 1 px of its edge with the outer ring cropped, values and
     * input gradients (within 1e-6 of the largest value: float sums in another order), at 32 and
     * 64 px.
     */
    @Test
    void encoderEqualsTheStageBlocksOnTheExtendedMapAndCropped() {
        ParamSet params = TestModels.encoderParams();
        for (int side : new int[] {32, 64}) {
            try (NDManager m = NDManager.newBaseManager()) {
                FeatureNetEncoder encoder = new FeatureNetEncoder(m, params, "net");
                FeatureNet net =
                        new FeatureNet((int) params.get("net.head.weight").shape()[0]);
                net.initialize(m, DataType.FLOAT32, new Shape(1, 1, FeatureNet.SIZE, FeatureNet.SIZE));
                BlockParams.load(net, "net", params.select(n -> n.startsWith("net.")));
                net.freezeParameters(true);
                ParameterStore store = new ParameterStore(m, false);
                Engine.getInstance().setRandomSeed(side);
                NDArray x = m.randomUniform(-1, 1, new Shape(3, 1, side, side));
                NDArray[] weights = new NDArray[FeatureNet.CHANNELS.length];
                for (int s = 0; s < weights.length; s++) {
                    int n = side >> s;
                    weights[s] = m.randomUniform(-1, 1, new Shape(3, FeatureNet.CHANNELS[s], n, n));
                }
                Result fast = encodeAndGradient(x, weights, encoder::features);
                Result reference = encodeAndGradient(x, weights, a -> croppedStages(net, store, a));
                assertClose(fast.value, reference.value, 1e-6, "features at " + side + " px");
                assertClose(fast.gradient, reference.gradient, 1e-6, "input gradient at " + side + " px");
            }
        }
    }

    private static NDList croppedStages(FeatureNet net, ParameterStore store, NDArray x) {
        NDList out = new NDList();
        NDArray h = x;
        for (int i = 0; i < FeatureNet.CHANNELS.length; i++) {
            if (i > 0) {
                h = Pool.maxPool2d(h, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            }
            Block stage = net.getChildren().get(i).getValue();
            assertThat(net.getChildren().get(i).getKey()).endsWith("stage" + (i + 1));
            h = crop(
                    stage.forward(store, new NDList(sliceConcatPad(h, 1)), false)
                            .singletonOrThrow(),
                    1);
            out.add(h);
        }
        return out;
    }

    /** All scales flattened into one array, and the input gradient of {@code Σ_s sum(f_s · w_s)}. */
    private static Result encodeAndGradient(NDArray x0, NDArray[] weights, Function<NDArray, NDList> encode) {
        NDArray x = x0.duplicate();
        x.setRequiresGradient(true);
        NDList f;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            f = encode.apply(x);
            NDArray loss = null;
            for (int s = 0; s < f.size(); s++) {
                NDArray term = f.get(s).mul(weights[s]).sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
        NDList flat = new NDList();
        for (NDArray a : f) {
            flat.add(a.stopGradient().flatten());
        }
        return new Result(NDArrays.concat(flat), x.getGradient().duplicate());
    }

    private static void assertClose(NDArray a, NDArray b, double tolerance, String what) {
        assertThat(a.getShape()).as(what).isEqualTo(b.getShape());
        double scale = b.abs().max().getFloat();
        assertThat(scale).as("%s: not all zero", what).isGreaterThan(1e-3);
        double diff = a.sub(b).abs().max().getFloat();
        // Relative to the largest value: the gradients' sums run in another order (1 ulp at 18.7 is 1.9e-6).
        assertThat(diff)
                .as("%s: max abs difference (max |value| %.3g)", what, scale)
                .isLessThanOrEqualTo(tolerance * Math.max(1, scale));
    }
}
