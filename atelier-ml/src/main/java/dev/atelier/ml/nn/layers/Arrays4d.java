package dev.atelier.ml.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Small helpers shared by the layers of this package.
 *
 * <p>Memory rule they encode: on the PyTorch engine the result of {@code a.op(b)} is owned by
 * {@code a}'s manager. When {@code a} is a parameter (owned by the model's long-lived manager) the
 * result would live until the model is closed, i.e. leak once per training step. {@link #scoped}
 * moves such results to the manager of the per-step input.
 */
public final class Arrays4d {
    private Arrays4d() {}

    /** Re-attaches {@code result} to the manager owning {@code stepArray} and returns it. */
    public static NDArray scoped(NDArray result, NDArray stepArray) {
        result.attach(stepArray.getManager());
        return result;
    }

    /** Checks that {@code x} is {@code [B, C, H, W]} and returns its shape. */
    public static Shape require4d(NDArray x, String what) {
        Shape s = x.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException(what + " expects [B, C, H, W], got " + s);
        }
        return s;
    }

    /**
     * {@code [C]} or {@code [B, C]} per-channel values as {@code [1|B, C, 1, 1]}, owned by
     * {@code stepArray}'s manager, ready to broadcast against a feature map.
     */
    public static NDArray asChannelMap(NDArray perChannel, NDArray stepArray) {
        Shape s = perChannel.getShape();
        NDArray r = switch (s.dimension()) {
            case 1 -> perChannel.reshape(1, s.get(0), 1, 1);
            case 2 -> perChannel.reshape(s.get(0), s.get(1), 1, 1);
            default -> throw new IllegalArgumentException("per-channel values must be [C] or [B, C], got " + s);
        };
        return scoped(r, stepArray);
    }
}
