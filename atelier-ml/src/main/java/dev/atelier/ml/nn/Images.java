package dev.atelier.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Moves grayscale images between Java arrays and model tensors.
 *
 * <p>Convention: images in Java are row-major {@code float[]} in {@code [0, 1]}; model inputs are
 * {@code [B, 1, 32, 32]} in {@code [-1, 1]} (or {@code [B, 1, S, S]} for square S×S images, a sketch
 * model's larger canvas). 28×28 Fashion-MNIST images are zero-padded by 2 pixels
 * per side (padding, not resampling, keeps every pixel exact).
 */
public final class Images {
    private Images() {}

    /**
     * Pads a 28×28 image to 32×32 with the background value 0; other images are returned as they
     * are (32×32, or a larger canvas such as 128×128, which {@link #batch} checks is square).
     */
    public static float[] to32(float[] image) {
        int n = FeatureNet.SIZE;
        if (image.length != 28 * 28) {
            return image;
        }
        float[] out = new float[n * n];
        for (int r = 0; r < 28; r++) {
            System.arraycopy(image, r * 28, out, (r + 2) * n + 2, 28);
        }
        return out;
    }

    /**
     * A {@code [B,1,S,S]} batch in {@code [-1,1]} from the selected images in [0,1]: 28×28 images are
     * padded to 32×32 (S = 32); otherwise every selected image must be the same square S×S (a
     * sketch model's canvas, e.g. 128×128).
     */
    public static NDArray batch(NDManager manager, List<float[]> images, int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one image");
        }
        int side = side(to32(images.get(indices[0])));
        int n = side * side;
        float[] data = new float[indices.length * n];
        for (int i = 0; i < indices.length; i++) {
            float[] img = to32(images.get(indices[i]));
            if (img.length != n) {
                throw new IllegalArgumentException("images of one batch differ in size: " + img.length + " vs " + n
                        + " pixels (" + side + "x" + side + ")");
            }
            for (int j = 0; j < n; j++) {
                data[i * n + j] = img[j] * 2f - 1f;
            }
        }
        return manager.create(data, new Shape(indices.length, 1, side, side));
    }

    private static int side(float[] img) {
        int side = (int) Math.round(Math.sqrt(img.length));
        if (side * side != img.length) {
            throw new IllegalArgumentException("expected a square image, got " + img.length + " pixels");
        }
        return side;
    }

    /** Inverse of {@link #batch}: {@code [B,1,H,W]} in {@code [-1,1]} to B images in [0,1], clipped. */
    public static float[][] fromBatch(NDArray batch) {
        Shape s = batch.getShape();
        int b = (int) s.get(0);
        int n = (int) (s.size() / b);
        float[] all = batch.toFloatArray();
        float[][] out = new float[b][n];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                out[i][j] = Math.min(1f, Math.max(0f, (all[i * n + j] + 1f) / 2f));
            }
        }
        return out;
    }
}
