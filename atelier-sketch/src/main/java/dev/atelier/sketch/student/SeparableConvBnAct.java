package dev.atelier.sketch.student;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code LeakyReLU(BN(SeparableConv2d(x)))}: the separable counterpart of the teacher's 3×3
 * {@code ConvBnAct}. Input {@code [B, C, H, W]}, output {@code [B, F, H, W]}. Children {@code conv}
 * (a {@link SeparableConv2d}: {@code conv.dw}, {@code conv.pw}) and {@code bn}, so BatchNorm
 * parameters match {@code **.bn.**} as everywhere in Atelier.
 */
public final class SeparableConvBnAct extends AbstractBlock {
    private final SeparableConv2d conv;
    private final BatchNorm bn;
    private final float slope;

    /** @param slope LeakyReLU negative slope (0 = ReLU) */
    public SeparableConvBnAct(int inChannels, int outChannels, int kernel, float slope) {
        this.slope = slope;
        conv = addChildBlock("conv", new SeparableConv2d(inChannels, outChannels, kernel));
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
