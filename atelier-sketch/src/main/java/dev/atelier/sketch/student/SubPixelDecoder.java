package dev.atelier.sketch.student;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.atelier.ml.nn.ConvBnAct;
import dev.atelier.sketch.model.ConvKind;
import dev.atelier.sketch.model.DecoderOutputs;
import dev.atelier.sketch.model.MrfmBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The sub-pixel student decoder ({@link StudentConfig#subPixel()}): the teacher's MRFM structure on
 * the encoder scales 2..K only, and a sub-pixel head (Shi et al., "Real-Time Single Image and Video
 * Super-Resolution Using an Efficient Sub-Pixel Convolutional Neural Network", CVPR 2016) that draws
 * the full-canvas sketch from the half-resolution decoder output.
 *
 * <pre>
 *   inputs  a2 [B,C2,N/2,N/2], ..., aK [B,CK,N/2^(K-1),…]      (finest first; scale 1 is not used)
 *   d_K     = LeakyReLU(BN(conv1×1(a_K)))
 *   d_s     = MRFM_s(d_{s+1}, a_s)   for s = K-1 .. 2             [B, W_s, N/2^(s-1), …]
 *   h       = conv3×3(d_2)                                        [B, 4, N/2, N/2]
 *   sketch  = tanh(depthToSpace(h))                               [B, 1, N, N]: pixel (2i+a, 2j+b) = h[2a+b, i, j]
 * </pre>
 * Why: at 256 px the teacher's and the full-resolution student's time goes to the tensors of the
 * full canvas (encoder stage 1, its AdaIN, the finest MRFM block; docs/benchmarks.md), which are
 * memory-bound on a CPU whatever their MAC count. Here the only full-canvas tensors are the input
 * and the sketch. Every sketch pixel still has its own output channel, so a 1-px line can be drawn.
 * The loop over the MRFM blocks is the one of {@code SketchGenerator.decode}; it is repeated here
 * (not shared) because the teacher's generator ends in a 1-channel conv at full resolution.
 * Children {@code bottom}, {@code block<s>} (s = K-1 .. 2), {@code head}. Not thread-safe.
 */
public final class SubPixelDecoder extends AbstractBlock {
    /** Sub-pixel factor: the head's output channels are its square. */
    static final int FACTOR = 2;

    private final ConvBnAct bottom;
    private final List<MrfmBlock> blocks = new ArrayList<>();
    private final Block head;
    private final int[] widths;

    /**
     * @param encoderChannels channels of the encoder scales 2..K, finest first (at least 2)
     * @param widths          decoder width per used scale, finest first
     * @param downWidths      pooled-skip conv width per used scale, finest first (coarsest unused)
     */
    public SubPixelDecoder(int[] encoderChannels, int[] widths, int[] downWidths, float leakySlope, ConvKind kind) {
        int k = encoderChannels.length;
        if (k < 2 || widths.length != k || downWidths.length != k) {
            throw new IllegalArgumentException("the sub-pixel decoder needs at least 2 used scales and one width per"
                    + " scale, got " + k + " scales, " + widths.length + " widths, " + downWidths.length + " downs");
        }
        this.widths = widths.clone();
        bottom = addChildBlock("bottom", new ConvBnAct(widths[k - 1], 1, 1, leakySlope));
        for (int s = k - 2; s >= 0; s--) {
            // named by the teacher's scale index (this decoder's scale s is the teacher's s + 1)
            blocks.add(addChildBlock(
                    "block" + (s + 2),
                    new MrfmBlock(widths[s + 1], encoderChannels[s], downWidths[s], widths[s], leakySlope, kind)));
        }
        head = addChildBlock("head", kind.conv(widths[0], FACTOR * FACTOR, 3));
    }

    /** Decoder width per used scale, finest first ({@code W_2 .. W_K}). */
    public int[] widths() {
        return widths.clone();
    }

    /** Per-scale outputs (coarsest first) and the full-canvas sketch of the stylised scales 2..K. */
    public DecoderOutputs decode(ParameterStore ps, NDList stylised, boolean training) {
        int k = stylised.size();
        if (k != blocks.size() + 1) {
            throw new IllegalArgumentException(
                    "sub-pixel decoder expects " + (blocks.size() + 1) + " feature scales, got " + k);
        }
        List<NDArray> features = new ArrayList<>(k);
        NDArray d =
                bottom.forward(ps, new NDList(stylised.get(k - 1)), training).singletonOrThrow();
        features.add(d);
        for (int i = 0; i < blocks.size(); i++) {
            d = blocks.get(i)
                    .forward(ps, new NDList(d, stylised.get(k - 2 - i)), training)
                    .singletonOrThrow();
            features.add(d);
        }
        NDArray h = head.forward(ps, new NDList(d), training).singletonOrThrow();
        return new DecoderOutputs(features, depthToSpace(h).tanh());
    }

    /** {@code [B, r², h, w] → [B, 1, r·h, r·w]} with output pixel {@code (r·i+a, r·j+b) = x[r·a+b, i, j]}. */
    static NDArray depthToSpace(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(b, FACTOR, FACTOR, h, w).transpose(0, 3, 1, 4, 2).reshape(b, 1, FACTOR * h, FACTOR * w);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList stylised, boolean training, PairList<String, Object> params) {
        return new NDList(decode(ps, stylised, training).sketch());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape finest = inputShapes[0];
        return new Shape[] {new Shape(finest.get(0), 1, FACTOR * finest.get(2), FACTOR * finest.get(3))};
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
        head.initialize(manager, dataType, d);
    }
}
