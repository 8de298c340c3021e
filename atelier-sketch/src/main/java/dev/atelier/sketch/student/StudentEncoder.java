package dev.atelier.sketch.student;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.atelier.ml.nn.ConvBnAct;
import dev.atelier.ml.nn.ConvStages;

/**
 * The edge student's own encoder: one {@code conv → BatchNorm → ReLU} stage per teacher-encoder
 * scale, 2×2 max pooling between stages, the same channels {@code C_s} as the teacher's encoder at
 * every scale (so the teacher's style card and the student decoder fit it unchanged). Stage 1 reads
 * the single gray channel with a full 3×3 conv (a separable one would be a rank-1 filter and saves
 * nothing there); every later stage is a depthwise-separable 3×3 conv ({@link SeparableConv2d}).
 *
 * <pre>
 *   x [B,1,N,N] → stage1 [B,C1,N,N] → pool → stage2 [B,C2,N/2,N/2] → … → stageK [B,CK,N/2^(K−1),…]
 * </pre>
 * Cost on the default encoder's channels (16, 32, 64, 128): about 39 M MACs per 256×256 garment
 * against FeatureNet's 236 M; on VGG-16's (64…512) a single separable conv per block replaces two or
 * three full ones. Trained by {@link EncoderDistiller} to reproduce the teacher encoder's maps;
 * parameters under {@value #PREFIX}{@code .stage<i>.**}. Not thread-safe.
 */
public final class StudentEncoder extends AbstractBlock {
    /** Parameter prefix in a student checkpoint. */
    public static final String PREFIX = "student_encoder";

    private final ConvBnAct[] stages;
    private final int[] channels;

    /** @param channels the teacher encoder's channels per scale, finest first (at least 2 scales) */
    public StudentEncoder(int[] channels) {
        if (channels.length < 2) {
            throw new IllegalArgumentException("the student encoder needs at least 2 scales, got " + channels.length);
        }
        this.channels = channels.clone();
        stages = new ConvBnAct[channels.length];
        for (int i = 0; i < channels.length; i++) {
            var conv = i == 0
                    ? ConvBnAct.conv(channels[0], 3, 1)
                    : SeparableConv2d.KIND.conv(channels[i - 1], channels[i], 3);
            stages[i] = addChildBlock("stage" + (i + 1), new ConvBnAct(conv, 0f));
        }
    }

    /** Channels per scale, finest first (the teacher encoder's). */
    public int[] channels() {
        return channels.clone();
    }

    /** Feature maps before each pooling, finest first; input {@code [B,1,N,N]} in [-1,1]. */
    public NDList features(ParameterStore ps, NDArray x, boolean training) {
        return ConvStages.forward(stages, ps, x, training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return features(ps, inputs.singletonOrThrow(), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape[] out = new Shape[channels.length];
        long hw = in.get(2);
        for (int i = 0; i < channels.length; i++) {
            out[i] = new Shape(in.get(0), channels[i], hw, hw);
            hw /= 2;
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        ConvStages.initialize(stages, channels, manager, dataType, inputShapes[0]);
    }
}
