package dev.atelier.sketch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.atelier.ml.nn.ConvBnAct;
import java.util.ArrayList;
import java.util.List;

/**
 * FedGAI's decoder: from the AdaIN-stylised encoder features of a garment to a sketch.
 *
 * <pre>
 *   inputs  a1 [B,C1,32,32], a2 [B,C2,16,16], ..., aK [B,CK,32/2^(K-1),...]   (finest first)
 *   d_K     = LeakyReLU(BN(conv1×1(a_K)))                                     [B, C_K/q, ., .]
 *   d_s     = MRFM_s(d_{s+1}, a_s)   for s = K-1 .. 1                          [B, C_s/q, ., .]
 *   sketch  = tanh(conv3×3(d_1))                                              [B, 1, 32, 32] in [-1, 1]
 * </pre>
 * with {@code q} the config's decoder divisor. Children {@code bottom}, {@code block<s>} (an {@link MrfmBlock} producing scale s), {@code out};
 * the whole generator is node-local (never shared) under the prefix {@value SketchGan#GEN}.
 */
public final class SketchGenerator extends AbstractBlock {
    private final ConvBnAct bottom;
    private final List<MrfmBlock> blocks = new ArrayList<>();
    private final Conv2d out;

    /** @param encoderChannels channels per encoder scale, finest first (at least 2 scales) */
    public SketchGenerator(int[] encoderChannels, SketchGanConfig config) {
        if (encoderChannels.length < 2) {
            throw new IllegalArgumentException("the generator needs at least 2 encoder scales, got " + encoderChannels.length);
        }
        int k = encoderChannels.length;
        bottom = addChildBlock("bottom", new ConvBnAct(Math.max(1, encoderChannels[k - 1] / config.decoderDivisor()), 1, 1,
                config.leakySlope()));
        for (int s = k - 2; s >= 0; s--) {
            int c = encoderChannels[s];
            blocks.add(addChildBlock("block" + (s + 1), new MrfmBlock(c, Math.max(1, c / config.downDivisor()),
                    Math.max(1, c / config.decoderDivisor()), config.leakySlope())));
        }
        out = addChildBlock("out", Conv2d.builder().setFilters(1).setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1)).build());
    }

    /** The skip weights α of the MRFM blocks, coarsest block first. */
    public List<Parameter> skipWeights() {
        return blocks.stream().map(MrfmBlock::alpha).toList();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList stylised, boolean training, PairList<String, Object> params) {
        int k = stylised.size();
        if (k != blocks.size() + 1) {
            throw new IllegalArgumentException("generator expects " + (blocks.size() + 1) + " feature scales, got " + k);
        }
        NDArray d = bottom.forward(ps, new NDList(stylised.get(k - 1)), training).singletonOrThrow();
        for (int i = 0; i < blocks.size(); i++) {
            d = blocks.get(i).forward(ps, new NDList(d, stylised.get(k - 2 - i)), training).singletonOrThrow();
        }
        return new NDList(out.forward(ps, new NDList(d), training).singletonOrThrow().tanh());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape finest = inputShapes[0];
        return new Shape[] {new Shape(finest.get(0), 1, finest.get(2), finest.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        int k = inputShapes.length;
        Shape coarsest = inputShapes[k - 1];
        bottom.initialize(manager, dataType, coarsest);
        Shape d = bottom.getOutputShapes(new Shape[] {coarsest})[0];
        for (int i = 0; i < blocks.size(); i++) {
            Shape skip = inputShapes[k - 2 - i];
            blocks.get(i).initialize(manager, dataType, d, skip);
            d = blocks.get(i).getOutputShapes(new Shape[] {d, skip})[0];
        }
        out.initialize(manager, dataType, d);
    }
}
