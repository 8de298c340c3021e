package dev.atelier.sketch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import dev.atelier.ml.nn.ConvBnAct;
import dev.atelier.ml.nn.layers.Upsample;

/**
 * One multi-resolution feature-merging (MRFM) decoder block of FedGAI's generator: it lifts the
 * decoder from resolution {@code h} to {@code 2h} while merging the stylised encoder feature of
 * resolution {@code 2h}.
 *
 * <pre>
 *   skip  [B, Cs, 2h, 2w]  (AdaIN-stylised encoder feature of this scale)
 *   prev  [B, Cp, h, w]    (previous, coarser decoder output)
 *   down  = LeakyReLU(BN(conv3×3(avgpool2(skip))))        [B, Cs/k, h, w]
 *   y     = conv3×3(concat(up2(concat(prev, down)), extra)) [B, Cs, 2h, 2w]   (extra: optional [B, E, 2h, 2w])
 *   y     = y + α · skip                                   (α learnable scalar, initialised 0)
 *   out   = LeakyReLU(BN(conv1×1(y)))                      [B, Co, 2h, 2w]
 * </pre>
 * The 3×3 convolutions are full ones for the teacher and depthwise-separable ones for the edge
 * student ({@link ConvKind}); names do not change. Children {@code down}, {@code conv},
 * {@code fuse}, direct parameter {@code alpha [1]}. Starting
 * at α = 0 lets the block first rely on the pooled path and learn how much full-resolution detail
 * to pass; α receives the gradient {@code Σ ∂L/∂y · skip} from the first step. The optional third
 * input (the generator's position map, {@link SketchGanConfig#positionChannels()}) is read at full
 * resolution by the 3×3 conv, so the fuse layer can gate it by the garment's features.
 */
public final class MrfmBlock extends AbstractBlock {
    private final ConvBnAct down;
    private final Block conv;
    private final ConvBnAct fuse;
    private final Parameter alpha;
    private final int outChannels;
    private final int extraChannels;

    /**
     * @param prevChannels channels {@code Cp} of the coarser decoder output
     * @param skipChannels channels {@code Cs} of the skip feature
     * @param downChannels channels of the pooled-skip conv
     * @param outChannels  channels {@code Co} of the block's output (the 1×1 fuse conv)
     * @param leakySlope   LeakyReLU negative slope
     * @param kind         how the 3×3 convolutions are built
     */
    public MrfmBlock(
            int prevChannels, int skipChannels, int downChannels, int outChannels, float leakySlope, ConvKind kind) {
        this(prevChannels, skipChannels, downChannels, outChannels, 0, leakySlope, kind);
    }

    /**
     * A block that also reads {@code extraChannels} channels at the output resolution (its third
     * input, required when {@code extraChannels > 0}).
     */
    public MrfmBlock(
            int prevChannels,
            int skipChannels,
            int downChannels,
            int outChannels,
            int extraChannels,
            float leakySlope,
            ConvKind kind) {
        this.outChannels = outChannels;
        this.extraChannels = extraChannels;
        down = addChildBlock("down", kind.convBnAct(skipChannels, downChannels, 3, leakySlope));
        conv = addChildBlock("conv", kind.conv(prevChannels + downChannels + extraChannels, skipChannels, 3));
        fuse = addChildBlock("fuse", new ConvBnAct(outChannels, 1, 1, leakySlope));
        alpha = addParameter(Parameter.builder()
                .setName("alpha")
                .setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(0f))
                .optShape(new Shape(1))
                .build());
    }

    /** The learnable skip weight α. */
    public Parameter alpha() {
        return alpha;
    }

    /**
     * Inputs: {@code prev [B, Cp, h, w]}, {@code skip [B, Cs, 2h, 2w]} and, for a block with extra
     * channels, {@code extra [B, E, 2h, 2w]}; output {@code [B, Co, 2h, 2w]}.
     */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray prev = inputs.get(0);
        NDArray skip = inputs.get(1);
        NDArray pooled = Pool.avgPool2d(skip, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
        NDArray d = down.forward(ps, new NDList(pooled), training).singletonOrThrow();
        NDArray up = Upsample.nearest(prev.concat(d, 1), 2);
        if (extraChannels > 0) {
            if (inputs.size() < 3) {
                throw new IllegalArgumentException(
                        "this MRFM block reads " + extraChannels + " extra channels: pass them");
            }
            up = up.concat(inputs.get(2), 1);
        }
        NDArray y = conv.forward(ps, new NDList(up), training).singletonOrThrow();
        // skip first: the product then belongs to the step's manager, not to alpha's (see Arrays4d).
        y = y.add(skip.mul(ps.getValue(alpha, skip.getDevice(), training)));
        return fuse.forward(ps, new NDList(y), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape skip = inputShapes[1];
        return new Shape[] {new Shape(skip.get(0), outChannels, skip.get(2), skip.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape prev = inputShapes[0];
        Shape skip = inputShapes[1];
        if (skip.get(2) != 2 * prev.get(2) || skip.get(3) != 2 * prev.get(3)) {
            throw new IllegalArgumentException(
                    "MRFM skip " + skip + " must be twice the resolution of the decoder input " + prev);
        }
        Shape pooled = new Shape(skip.get(0), skip.get(1), prev.get(2), prev.get(3));
        down.initialize(manager, dataType, pooled);
        long downChannels = down.getOutputShapes(new Shape[] {pooled})[0].get(1);
        Shape up = new Shape(skip.get(0), prev.get(1) + downChannels + extraChannels, skip.get(2), skip.get(3));
        conv.initialize(manager, dataType, up);
        fuse.initialize(manager, dataType, conv.getOutputShapes(new Shape[] {up}));
    }
}
