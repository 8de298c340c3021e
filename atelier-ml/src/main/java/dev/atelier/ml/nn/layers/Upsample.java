package dev.atelier.ml.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Nearest-neighbour up-sampling by an integer factor, the building block for decoders on the
 * PyTorch engine, where DJL offers no transposed convolution:
 * {@code y[b,c,h,w] = x[b,c,⌊h/f⌋,⌊w/f⌋]}. Input {@code [B, C, H, W]}, output
 * {@code [B, C, f·H, f·W]}; gradients sum over each {@code f×f} block. Implemented with the engine's
 * nearest interpolation (PyTorch {@code upsample_nearest2d}): measured at {@code [16,24,16,16]} on
 * one CPU thread it costs 1.8 ms forward + 1.7 ms backward, against 1.1 + 6.3 ms for two
 * {@code repeat}s, whose backward is a slow index-add. Parameter-free, thread-safe.
 */
public final class Upsample extends AbstractBlock {
    private final int factor;

    private Upsample(Builder builder) {
        this.factor = builder.factor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Nearest-neighbour up-sampling of {@code x} by {@code factor} (1 returns {@code x}). */
    public static NDArray nearest(NDArray x, int factor) {
        Arrays4d.require4d(x, "Upsample");
        if (factor < 1) {
            throw new IllegalArgumentException("up-sampling factor must be >= 1, got " + factor);
        }
        if (factor == 1) {
            return x;
        }
        Shape s = x.getShape();
        // Interpolation mode 0 is nearest-neighbour (DJL's Image.Interpolation.NEAREST ordinal).
        return x.getNDArrayInternal().interpolation(new long[] {s.get(2) * factor, s.get(3) * factor}, 0, false);
    }

    public int factor() {
        return factor;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(nearest(inputs.singletonOrThrow(), factor));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), s.get(2) * factor, s.get(3) * factor)};
    }

    /** Builds an {@link Upsample}; the factor defaults to 2. */
    public static final class Builder {
        private int factor = 2;

        private Builder() {}

        public Builder optFactor(int factor) {
            this.factor = factor;
            return this;
        }

        public Upsample build() {
            if (factor < 1) {
                throw new IllegalArgumentException("up-sampling factor must be >= 1, got " + factor);
            }
            return new Upsample(this);
        }
    }
}
