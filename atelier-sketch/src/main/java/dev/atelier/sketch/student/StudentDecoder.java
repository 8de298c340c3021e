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
import java.util.ArrayList;
import java.util.List;

/**
 * The edge student's decoder: the teacher's multi-resolution MRFM structure (same scales, same
 * stylised inputs) built from depthwise-separable convolutions with fewer channels.
 *
 * <pre>
 *   inputs  a1 [B,C1,32,32], ..., aK [B,CK,.,.]   AdaIN_SD-stylised encoder features (finest first)
 *   d_K     = LeakyReLU(BN(conv1×1(a_K)))                          [B, W_K, ., .]
 *   d_s     = StudentMRFM_s(d_{s+1}, a_s)   for s = K−1 .. 1       [B, W_s, ., .]
 *   sketch  = tanh(pw(dw3×3(d_1)))                                 [B, 1, 32, 32] in [-1, 1]
 * </pre>
 * with {@code W_s = max(1, C_s / widthDivisor)} ({@link StudentConfig}). Every 3×3 convolution is
 * depthwise-separable; the 1×1 convolutions are pointwise already. Children {@code bottom},
 * {@code block<s>} (a {@link StudentMrfmBlock} producing scale s, s = K−1 .. 1) and {@code out},
 * mirroring the teacher's {@code SketchGenerator} names so scale s of both can be compared.
 */
public final class StudentDecoder extends AbstractBlock {
    private final ConvBnAct bottom;
    private final List<StudentMrfmBlock> blocks = new ArrayList<>();
    private final SeparableConv2d out;
    private final int[] widths;

    /** @param encoderChannels channels per encoder scale, finest first (at least 2 scales) */
    public StudentDecoder(int[] encoderChannels, StudentConfig config) {
        int k = encoderChannels.length;
        if (k < 2) {
            throw new IllegalArgumentException("the student decoder needs at least 2 encoder scales, got " + k);
        }
        widths = new int[k];
        for (int s = 0; s < k; s++) {
            widths[s] = config.width(encoderChannels[s]);
        }
        bottom = addChildBlock("bottom", new ConvBnAct(widths[k - 1], 1, 1, config.leakySlope()));
        for (int s = k - 2; s >= 0; s--) {
            int c = encoderChannels[s];
            blocks.add(addChildBlock("block" + (s + 1),
                    new StudentMrfmBlock(widths[s + 1], c, config.down(c), widths[s], config.leakySlope())));
        }
        out = addChildBlock("out", new SeparableConv2d(widths[0], 1, 3));
    }

    /** Decoder width per scale, finest first ({@code W_1 .. W_K}). */
    public int[] widths() {
        return widths.clone();
    }

    /**
     * Runs the decoder and keeps every scale's output (for per-scale distillation).
     *
     * @param stylised the K stylised encoder features, finest first
     */
    public DecoderOutputs decode(ParameterStore ps, NDList stylised, boolean training) {
        int k = stylised.size();
        if (k != blocks.size() + 1) {
            throw new IllegalArgumentException("student decoder expects " + (blocks.size() + 1) + " feature scales, got " + k);
        }
        List<NDArray> features = new ArrayList<>(k);
        NDArray d = bottom.forward(ps, new NDList(stylised.get(k - 1)), training).singletonOrThrow();
        features.add(d);
        for (int i = 0; i < blocks.size(); i++) {
            d = blocks.get(i).forward(ps, new NDList(d, stylised.get(k - 2 - i)), training).singletonOrThrow();
            features.add(d);
        }
        NDArray sketch = out.forward(ps, new NDList(d), training).singletonOrThrow().tanh();
        return new DecoderOutputs(features, sketch);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList stylised, boolean training, PairList<String, Object> params) {
        return new NDList(decode(ps, stylised, training).sketch());
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
