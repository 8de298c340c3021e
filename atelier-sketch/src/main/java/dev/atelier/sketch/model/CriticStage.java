package dev.atelier.sketch.model;

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
import dev.atelier.ml.nn.layers.SpectralNormConv2d;

/**
 * One stage of the style critic: {@code LeakyReLU(BN(conv3×3 stride s))}, the conv spectrally
 * normalised or plain. Children {@code conv} and {@code bn}, so the sharing rule
 * {@code exclude **.bn.**} keeps exactly the BatchNorm part local. Input {@code [B, C, H, W]},
 * output {@code [B, F, ceil(H/s), ceil(W/s)]}.
 */
public final class CriticStage extends AbstractBlock {
    private final Block conv;
    private final BatchNorm bn;
    private final float slope;

    public CriticStage(int filters, int stride, float slope, boolean spectralNorm) {
        this.slope = slope;
        Shape k = new Shape(3, 3);
        Shape s = new Shape(stride, stride);
        Shape p = new Shape(1, 1);
        conv = addChildBlock("conv", spectralNorm
                ? SpectralNormConv2d.builder().setFilters(filters).setKernelShape(k).optStride(s).optPadding(p).build()
                : Conv2d.builder().setFilters(filters).setKernelShape(k).optStride(s).optPadding(p).build());
        bn = addChildBlock("bn", BatchNorm.builder().optMomentum(0.9f).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = bn.forward(ps, conv.forward(ps, inputs, training), training);
        return new NDList(Activation.leakyRelu(x.singletonOrThrow(), slope));
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
