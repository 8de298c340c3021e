package dev.atelier.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;

/**
 * The VGG-style trunk that {@link FeatureNet} and the sketch evaluator share: square
 * {@link ConvBnAct} stages with 2×2 max pooling between them (none before the first), then global
 * average pooling. The stages stay child blocks of their owner (named {@code stage1..}) so parameter
 * names and checkpoints do not depend on this helper. Stateless.
 */
public final class ConvStages {
    private ConvStages() {}

    /** Each stage's output before the next pooling, coarsest last; input {@code [B, C, H, W]}. */
    public static NDList forward(ConvBnAct[] stages, ParameterStore ps, NDArray x, boolean training) {
        NDList out = new NDList(stages.length);
        NDArray h = x;
        for (int i = 0; i < stages.length; i++) {
            if (i > 0) {
                h = Pool.maxPool2d(h, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            }
            h = stages[i].forward(ps, new NDList(h), training).singletonOrThrow();
            out.add(h);
        }
        return out;
    }

    /** Global average pooling {@code [B, C, H, W] → [B, C]}. */
    public static NDArray globalAverage(NDArray x) {
        Shape s = x.getShape();
        // DJL's mean over two axes fails on PyTorch: flatten space first
        return x.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
    }

    /** Initializes stage {@code i} for {@code channels[i-1]} inputs at the resolution it sees. */
    public static void initialize(
            ConvBnAct[] stages, int[] channels, NDManager manager, DataType dataType, Shape input) {
        long b = input.get(0);
        long hw = input.get(2);
        long in = input.get(1);
        for (int i = 0; i < stages.length; i++) {
            stages[i].initialize(manager, dataType, new Shape(b, in, hw, hw));
            in = channels[i];
            if (i < stages.length - 1) {
                hw /= 2;
            }
        }
    }
}
