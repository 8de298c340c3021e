package dev.atelier.sketch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import dev.atelier.ml.nn.layers.Scalars;
import dev.atelier.ml.nn.layers.Upsample;
import java.util.ArrayList;
import java.util.List;

/**
 * Normalised Gram matrices, the style statistics of FedGAI's Gram loss and style critic (Gatys,
 * Ecker, Bethge, "Image Style Transfer Using Convolutional Neural Networks", CVPR 2016).
 *
 * <p>For a feature map {@code F ∈ R^{B×C×H×W}} flattened to {@code [B, C, N]}, {@code N = H·W}:
 * {@code G[b] = F[b]·F[b]ᵀ / (C·H·W)}, shape {@code [B, C, C]}. Dividing by {@code C·H·W} keeps the
 * values of different scales comparable. Stateless, thread-safe.
 */
public final class GramMatrix {
    private GramMatrix() {}

    /** {@code [B, C, H, W]} → {@code [B, C, C]}, normalised by {@code C·H·W}. */
    public static NDArray of(NDArray features) {
        Shape s = features.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("Gram matrix needs [B, C, H, W], got " + s);
        }
        NDArray f = features.reshape(s.get(0), s.get(1), -1);
        return Scalars.div(f.batchMatMul(f.transpose(0, 2, 1)), (float) (s.get(1) * s.get(2) * s.get(3)));
    }

    /** Gram matrices of every scale, in the same order. */
    public static List<NDArray> ofAll(NDList features) {
        List<NDArray> out = new ArrayList<>(features.size());
        for (NDArray f : features) {
            out.add(of(f));
        }
        return out;
    }

    /**
     * Resizes a {@code [B, C, C]} Gram matrix to {@code [B, 1, size, size]}: average pooling by
     * {@code C/size} when larger, nearest up-sampling by {@code size/C} when smaller; {@code C} and
     * {@code size} must divide one another.
     */
    public static NDArray resize(NDArray gram, int size) {
        long b = gram.getShape().get(0);
        int c = Math.toIntExact(gram.getShape().get(1));
        NDArray img = gram.reshape(b, 1, c, c);
        if (c == size) {
            return img;
        }
        if (c > size) {
            if (c % size != 0) {
                throw new IllegalArgumentException("Gram size " + c + " is not a multiple of " + size);
            }
            int k = c / size;
            return Pool.avgPool2d(img, new Shape(k, k), new Shape(k, k), new Shape(0, 0), false, true);
        }
        if (size % c != 0) {
            throw new IllegalArgumentException("target size " + size + " is not a multiple of Gram size " + c);
        }
        return Upsample.nearest(img, size / c);
    }

    /** All scales' Gram matrices resized to {@code size} and concatenated: {@code [B, scales, size, size]}. */
    public static NDArray stack(List<NDArray> grams, int size) {
        NDList resized = new NDList(grams.size());
        for (NDArray g : grams) {
            resized.add(resize(g, size));
        }
        return NDArrays.concat(resized, 1);
    }

    /** Whether channel counts {@code channels} can all be resized to {@code size}. */
    public static boolean compatible(int[] channels, int size) {
        for (int c : channels) {
            if (size < 1 || (c > size ? c % size : size % c) != 0) {
                return false;
            }
        }
        return true;
    }
}
