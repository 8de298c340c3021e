package dev.atelier.sketch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import dev.atelier.ml.nn.ConvBnAct;
import java.util.ArrayList;
import java.util.List;

/**
 * FedGAI's multi-resolution decoder: from the AdaIN-stylised encoder features of a garment to a
 * sketch. The teacher's generator and the edge student's decoder are both this block; they differ
 * in widths and in the kind of 3×3 convolution ({@link ConvKind}).
 *
 * <pre>
 *   inputs  a1 [B,C1,32,32], a2 [B,C2,16,16], ..., aK [B,CK,32/2^(K-1),...]   (finest first)
 *   d_K     = LeakyReLU(BN(conv1×1(a_K)))                                     [B, W_K, ., .]
 *   d_s     = MRFM_s(d_{s+1}, a_s)   for s = K-1 .. 2                          [B, W_s, ., .]
 *   d_1     = MRFM_1(d_2, a_1, position)   (position [1,P,32,32] broadcast, only with P > 0)
 *   sketch  = tanh(conv3×3(d_1))                                              [B, 1, 32, 32] in [-1, 1]
 * </pre>
 * Teacher widths are {@code W_s = C_s / q} with {@code q} the config's decoder divisor. Children
 * {@code bottom}, {@code block<s>} (an {@link MrfmBlock} producing scale s), {@code out}; the
 * teacher's generator is node-local (never shared) under the prefix {@value SketchGan#GEN}. With a
 * position map ({@link SketchGanConfig#positionChannels()}) the direct parameter {@value #POSITION}
 * {@code [1, P, N, N]} (N the finest input's side, initialised 0) is the finest block's extra input.
 */
public final class SketchGenerator extends AbstractBlock {
    /** Name of the learned position map parameter. */
    public static final String POSITION = "position";

    private final ConvBnAct bottom;
    private final List<MrfmBlock> blocks = new ArrayList<>();
    private final Block out;
    private final int[] widths;
    private final Parameter position;
    private final int positionChannels;

    /**
     * The teacher's generator: full convolutions padded as {@code config}'s
     * {@link SketchGanConfig#decoderPadding} says, widths and pooled-skip widths from {@code config}.
     */
    public SketchGenerator(int[] encoderChannels, SketchGanConfig config) {
        this(
                encoderChannels,
                divide(encoderChannels, config.decoderDivisor()),
                divide(encoderChannels, config.downDivisor()),
                config.positionChannels(),
                config.leakySlope(),
                config.decoderPadding().convKind());
    }

    /**
     * @param encoderChannels channels per encoder scale, finest first (at least 2 scales)
     * @param widths          decoder width {@code W_s} per scale, finest first
     * @param downWidths      pooled-skip conv width of the MRFM block of scale s, finest first
     *                        (the coarsest entry is unused)
     */
    public SketchGenerator(int[] encoderChannels, int[] widths, int[] downWidths, float leakySlope, ConvKind kind) {
        this(encoderChannels, widths, downWidths, 0, leakySlope, kind);
    }

    /**
     * A decoder with a learned position map of {@code positionChannels} channels (0: none) at the
     * finest scale; other parameters as {@link #SketchGenerator(int[], int[], int[], float, ConvKind)}.
     */
    public SketchGenerator(
            int[] encoderChannels,
            int[] widths,
            int[] downWidths,
            int positionChannels,
            float leakySlope,
            ConvKind kind) {
        int k = encoderChannels.length;
        if (k < 2) {
            throw new IllegalArgumentException("the decoder needs at least 2 encoder scales, got " + k);
        }
        if (widths.length != k || downWidths.length != k) {
            throw new IllegalArgumentException("decoder widths need one entry per encoder scale (" + k + ")");
        }
        this.widths = widths.clone();
        this.positionChannels = positionChannels;
        bottom = addChildBlock("bottom", new ConvBnAct(widths[k - 1], 1, 1, leakySlope));
        for (int s = k - 2; s >= 0; s--) {
            blocks.add(addChildBlock(
                    "block" + (s + 1),
                    new MrfmBlock(
                            widths[s + 1],
                            encoderChannels[s],
                            downWidths[s],
                            widths[s],
                            s == 0 ? positionChannels : 0,
                            leakySlope,
                            kind)));
        }
        out = addChildBlock("out", kind.conv(widths[0], 1, 3));
        // Zero at the start: the map is learned from the gradient the finest conv passes back.
        position = positionChannels == 0
                ? null
                : addParameter(Parameter.builder()
                        .setName(POSITION)
                        .setType(Parameter.Type.OTHER)
                        .optInitializer(new ConstantInitializer(0f))
                        .build());
    }

    private static int[] divide(int[] channels, int divisor) {
        int[] w = new int[channels.length];
        for (int s = 0; s < w.length; s++) {
            w[s] = Math.max(1, channels[s] / divisor);
        }
        return w;
    }

    /** Decoder width per scale, finest first ({@code W_1 .. W_K}). */
    public int[] widths() {
        return widths.clone();
    }

    /** The skip weights α of the MRFM blocks, coarsest block first. */
    public List<Parameter> skipWeights() {
        return blocks.stream().map(MrfmBlock::alpha).toList();
    }

    /**
     * Runs the decoder and keeps every scale's output (the student distils them per scale).
     *
     * @param stylised the K stylised encoder features, finest first
     */
    public DecoderOutputs decode(ParameterStore ps, NDList stylised, boolean training) {
        int k = stylised.size();
        if (k != blocks.size() + 1) {
            throw new IllegalArgumentException("decoder expects " + (blocks.size() + 1) + " feature scales, got " + k);
        }
        List<NDArray> features = new ArrayList<>(k);
        NDArray d =
                bottom.forward(ps, new NDList(stylised.get(k - 1)), training).singletonOrThrow();
        features.add(d);
        for (int i = 0; i < blocks.size(); i++) {
            NDArray skip = stylised.get(k - 2 - i);
            NDList in = new NDList(d, skip);
            if (position != null && i == blocks.size() - 1) {
                NDArray map = ps.getValue(position, skip.getDevice(), training);
                Shape batch = new Shape(
                        skip.getShape().get(0),
                        positionChannels,
                        skip.getShape().get(2),
                        skip.getShape().get(3));
                // zeros first: the broadcast sum then belongs to the step's manager, not the weights' (see Arrays4d).
                in.add(skip.getManager().zeros(batch, map.getDataType()).add(map));
            }
            d = blocks.get(i).forward(ps, in, training).singletonOrThrow();
            features.add(d);
        }
        return new DecoderOutputs(
                features,
                out.forward(ps, new NDList(d), training).singletonOrThrow().tanh());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList stylised, boolean training, PairList<String, Object> params) {
        return new NDList(decode(ps, stylised, training).sketch());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape finest = inputShapes[0];
        return new Shape[] {new Shape(finest.get(0), 1, finest.get(2), finest.get(3))};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        if (position != null) {
            Shape finest = inputShapes[0];
            position.setShape(new Shape(1, positionChannels, finest.get(2), finest.get(3)));
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        int k = inputShapes.length;
        Shape coarsest = inputShapes[k - 1];
        bottom.initialize(manager, dataType, coarsest);
        Shape d = bottom.getOutputShapes(new Shape[] {coarsest})[0];
        for (int i = 0; i < blocks.size(); i++) {
            Shape skip = inputShapes[k - 2 - i];
            if (position != null && i == blocks.size() - 1) {
                Shape map = new Shape(skip.get(0), positionChannels, skip.get(2), skip.get(3));
                blocks.get(i).initialize(manager, dataType, d, skip, map);
            } else {
                blocks.get(i).initialize(manager, dataType, d, skip);
            }
            d = blocks.get(i).getOutputShapes(new Shape[] {d, skip})[0];
        }
        out.initialize(manager, dataType, d);
    }
}
