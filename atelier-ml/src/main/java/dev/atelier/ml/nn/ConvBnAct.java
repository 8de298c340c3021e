package dev.atelier.ml.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code conv → BatchNorm → (leaky) ReLU}, with children named {@code conv} and {@code bn} so
 * parameter filters can address the BatchNorm part ({@code **.bn.**}). The conv is a plain
 * {@link Conv2d} or any other shape-preserving-in-kind convolution block (e.g. a
 * depthwise-separable one), so every conv-BN-activation in Atelier shares this block and its names.
 *
 * <p>Shapes: input {@code [B, C_in, H, W]} → output {@code [B, C_out, H', W']} where a
 * {@code k×k} kernel with stride s and padding {@code (k-1)/2} gives {@code H' = ceil(H / s)}.
 */
public final class ConvBnAct extends AbstractBlock {
    private final Block conv;
    private final BatchNorm bn;
    private final float negativeSlope;

    /**
     * @param negativeSlope 0 for ReLU, e.g. 0.2 for LeakyReLU; negative disables the activation
     */
    public ConvBnAct(int outChannels, int kernel, int stride, float negativeSlope) {
        this(conv(outChannels, kernel, stride), negativeSlope);
    }

    /** Around any convolution block {@code conv} (registered as child {@code conv}). */
    public ConvBnAct(Block conv, float negativeSlope) {
        this.negativeSlope = negativeSlope;
        this.conv = addChildBlock("conv", conv);
        bn = addChildBlock("bn", BatchNorm.builder().optMomentum(0.9f).build());
    }

    /** A {@code k×k} convolution with stride {@code s} and padding {@code (k−1)/2}. */
    public static Conv2d conv(int outChannels, int kernel, int stride) {
        int pad = (kernel - 1) / 2;
        return Conv2d.builder()
                .setFilters(outChannels)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad))
                .build();
    }

    public static ConvBnAct relu(int outChannels, int kernel) {
        return new ConvBnAct(outChannels, kernel, 1, 0f);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = bn.forward(ps, conv.forward(ps, inputs, training), training);
        if (negativeSlope < 0) {
            return x;
        }
        return new NDList(
                negativeSlope == 0
                        ? Activation.relu(x.singletonOrThrow())
                        : Activation.leakyRelu(x.singletonOrThrow(), negativeSlope));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        bn.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }
}
