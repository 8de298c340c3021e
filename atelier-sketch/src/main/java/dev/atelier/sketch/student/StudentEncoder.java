package dev.atelier.sketch.student;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
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
 * parameters under {@value #PREFIX}{@code .stage<i>.**}.
 *
 * <p><b>Sub-pixel variant</b> ({@link StudentConfig#subPixel()}): the finest scale is skipped. A
 * {@code stem} (4×4 conv, stride 2, padding 1, 1 → C1 channels, BatchNorm, ReLU) brings the input
 * straight to half resolution, and the separable stages 2..K follow (no pooling before stage 2):
 * <pre>
 *   x [B,1,N,N] → stem [B,C1,N/2,N/2] → stage2 [B,C2,N/2,N/2] → pool → … → stageK; outputs scales 2..K
 * </pre>
 * so no full-canvas feature map exists (about 11 M MACs less at 256 px, and none of the memory
 * traffic of a 16-channel 256×256 map). Not thread-safe.
 */
public final class StudentEncoder extends AbstractBlock {
    /** Parameter prefix in a student checkpoint. */
    public static final String PREFIX = "student_encoder";

    private final ConvBnAct stem;
    private final ConvBnAct[] stages;
    private final int[] channels;

    /** @param channels the teacher encoder's channels per scale, finest first (at least 2 scales) */
    public StudentEncoder(int[] channels) {
        this(channels, false);
    }

    /**
     * @param channels the teacher encoder's channels per scale, finest first (at least 2 scales; 3
     *     with {@code subPixel})
     * @param subPixel skip the finest scale: a stride-2 stem, then stages 2..K
     */
    public StudentEncoder(int[] channels, boolean subPixel) {
        if (channels.length < (subPixel ? 3 : 2)) {
            throw new IllegalArgumentException(
                    "the student encoder needs at least " + (subPixel ? 3 : 2) + " scales, got " + channels.length);
        }
        this.channels = channels.clone();
        if (subPixel) {
            stem = addChildBlock(
                    "stem",
                    new ConvBnAct(
                            Conv2d.builder()
                                    .setFilters(channels[0])
                                    .setKernelShape(new Shape(4, 4))
                                    .optStride(new Shape(2, 2))
                                    .optPadding(new Shape(1, 1))
                                    .build(),
                            0f));
        } else {
            stem = null;
        }
        int first = subPixel ? 1 : 0;
        stages = new ConvBnAct[channels.length - first];
        for (int i = first; i < channels.length; i++) {
            var conv = i == 0
                    ? ConvBnAct.conv(channels[0], 3, 1)
                    : SeparableConv2d.KIND.conv(channels[i - 1], channels[i], 3);
            stages[i - first] = addChildBlock("stage" + (i + 1), new ConvBnAct(conv, 0f));
        }
    }

    /** Whether the finest scale is skipped (sub-pixel variant). */
    public boolean subPixel() {
        return stem != null;
    }

    /** Channels per scale, finest first (the teacher encoder's). */
    public int[] channels() {
        return channels.clone();
    }

    /**
     * Feature maps before each pooling, finest first; input {@code [B,1,N,N]} in [-1,1]. Scales
     * 1..K, or 2..K for the sub-pixel variant.
     */
    public NDList features(ParameterStore ps, NDArray x, boolean training) {
        if (stem == null) {
            return ConvStages.forward(stages, ps, x, training);
        }
        NDArray h = stem.forward(ps, new NDList(x), training).singletonOrThrow();
        NDList out = new NDList(stages.length);
        for (int i = 0; i < stages.length; i++) {
            if (i > 0) {
                h = Pool.maxPool2d(h, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            }
            h = stages[i].forward(ps, new NDList(h), training).singletonOrThrow();
            out.add(h);
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return features(ps, inputs.singletonOrThrow(), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        int first = channels.length - stages.length;
        Shape[] out = new Shape[stages.length];
        long hw = in.get(2) >> first;
        for (int i = 0; i < stages.length; i++) {
            out[i] = new Shape(in.get(0), channels[first + i], hw, hw);
            hw /= 2;
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (stem == null) {
            ConvStages.initialize(stages, channels, manager, dataType, inputShapes[0]);
            return;
        }
        Shape in = inputShapes[0];
        stem.initialize(manager, dataType, in);
        Shape h = stem.getOutputShapes(new Shape[] {in})[0];
        ConvStages.initialize(stages, java.util.Arrays.copyOfRange(channels, 1, channels.length), manager, dataType, h);
    }
}
