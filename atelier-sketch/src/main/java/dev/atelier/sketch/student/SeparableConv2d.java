package dev.atelier.sketch.student;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.atelier.sketch.model.ConvKind;
import dev.atelier.sketch.model.SketchGenerator;

/**
 * Depthwise-separable convolution (Howard et al., "MobileNets: Efficient Convolutional Neural
 * Networks for Mobile Vision Applications", 2017): a {@code k×k} depthwise convolution (one filter
 * per input channel, {@code groups = C}) followed by a 1×1 pointwise convolution that mixes channels.
 *
 * <pre>
 *   x   [B, C, H, W]
 *   dw  = depthwise k×k, stride 1, padding (k−1)/2, no bias     weight [C, 1, k, k]   → [B, C, H, W]
 *   y   = pointwise 1×1 with bias                               weight [F, C, 1, 1]   → [B, F, H, W]
 * </pre>
 * Cost per example: {@code H·W·C·k² + H·W·C·F} multiply-accumulates instead of {@code H·W·C·F·k²}
 * for a full {@code k×k} conv. The depthwise bias is omitted because the pointwise conv's bias
 * absorbs it ({@code pw(dw(x) + b) = pw(dw(x)) + W·b}). Children {@code dw} and {@code pw}.
 * The input channel count {@code C} is fixed at construction (DJL's grouped conv needs it).
 */
public final class SeparableConv2d extends AbstractBlock {
    /** The edge student's decoder convolutions ({@link SketchGenerator} with separable 3×3 convs). */
    public static final ConvKind KIND = SeparableConv2d::new;

    private final int inChannels;
    private final Conv2d depthwise;
    private final Conv2d pointwise;

    /**
     * @param inChannels  channels {@code C} of the input
     * @param outChannels channels {@code F} of the output
     * @param kernel      odd depthwise kernel size {@code k}
     */
    public SeparableConv2d(int inChannels, int outChannels, int kernel) {
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("separable conv needs positive channels and an odd kernel, got in="
                    + inChannels + " out=" + outChannels + " k=" + kernel);
        }
        this.inChannels = inChannels;
        int pad = (kernel - 1) / 2;
        depthwise = addChildBlock(
                "dw",
                Conv2d.builder()
                        .setFilters(inChannels)
                        .optGroups(inChannels)
                        .setKernelShape(new Shape(kernel, kernel))
                        .optPadding(new Shape(pad, pad))
                        .optBias(false)
                        .build());
        pointwise = addChildBlock(
                "pw",
                Conv2d.builder()
                        .setFilters(outChannels)
                        .setKernelShape(new Shape(1, 1))
                        .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return pointwise.forward(ps, depthwise.forward(ps, inputs, training), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return pointwise.getOutputShapes(depthwise.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes[0].get(1) != inChannels) {
            throw new IllegalArgumentException(
                    "separable conv built for " + inChannels + " input channels got input " + inputShapes[0]);
        }
        depthwise.initialize(manager, dataType, inputShapes);
        pointwise.initialize(manager, dataType, depthwise.getOutputShapes(inputShapes));
    }
}
