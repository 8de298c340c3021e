package dev.atelier.ml.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable in-memory set of labelled 8-bit grayscale images.
 *
 * <p>Shapes and units: {@code size()} images of {@code height() x width()} pixels, stored row-major as
 * unsigned bytes (0 = black, 255 = white) and handed out as {@code float} in [0, 1] ({@code value /
 * 255}). Labels are class indices in {@code [0, numClasses())}, where class {@code i} is named {@code
 * classNames().get(i)}. Bytes rather than floats are stored because the full Fashion-MNIST train set is
 * 47 MB as bytes but 188 MB as floats.
 *
 * <p>Thread-safety: immutable; every accessor returns a fresh copy, so instances can be shared freely
 * between threads.
 */
public final class ImageDataset {

    private final byte[] pixels;
    private final int[] labels;
    private final int height;
    private final int width;
    private final List<String> classNames;

    private ImageDataset(byte[] pixels, int[] labels, int height, int width, List<String> classNames) {
        this.pixels = pixels;
        this.labels = labels;
        this.height = height;
        this.width = width;
        this.classNames = classNames;
    }

    /**
     * Creates a data set from flat pixels {@code [n, height, width]} and {@code n} labels; both arrays are
     * copied.
     *
     * @throws IllegalArgumentException if the lengths disagree or a label is outside the class list
     */
    public static ImageDataset of(byte[] pixels, int[] labels, int height, int width, List<String> classNames) {
        return adopt(pixels.clone(), labels.clone(), height, width, classNames);
    }

    /** Like {@link #of} but takes ownership of the arrays instead of copying them. */
    static ImageDataset adopt(byte[] pixels, int[] labels, int height, int width, List<String> classNames) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        List<String> names = List.copyOf(classNames);
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a data set needs at least one class name");
        }
        if ((long) labels.length * height * width != pixels.length) {
            throw new IllegalArgumentException("pixel array has " + pixels.length + " bytes but " + labels.length
                    + " images of " + height + "x" + width + " need " + (long) labels.length * height * width);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= names.size()) {
                throw new IllegalArgumentException(
                        "label " + labels[i] + " of image " + i + " is outside [0, " + names.size() + ")");
            }
        }
        return new ImageDataset(pixels, labels, height, width, names);
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Image height in pixels. */
    public int height() {
        return height;
    }

    /** Image width in pixels. */
    public int width() {
        return width;
    }

    /** Pixels per image, {@code height * width}. */
    public int pixelsPerImage() {
        return height * width;
    }

    /** Class names; index = label. */
    public List<String> classNames() {
        return classNames;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Label of image {@code i}. */
    public int label(int i) {
        return labels[Objects.checkIndex(i, labels.length)];
    }

    /** All labels, in image order (a copy). */
    public int[] labels() {
        return labels.clone();
    }

    /** Number of images per label, length {@code numClasses()}. */
    public int[] labelCounts() {
        int[] counts = new int[classNames.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** Pixel (row, col) of image {@code i} as an unsigned value 0..255. */
    public int pixel(int i, int row, int col) {
        Objects.checkIndex(i, labels.length);
        Objects.checkIndex(row, height);
        Objects.checkIndex(col, width);
        return Byte.toUnsignedInt(pixels[i * pixelsPerImage() + row * width + col]);
    }

    /** Image {@code i} as unsigned bytes, row-major, length {@code height * width} (a copy). */
    public byte[] rawImage(int i) {
        int from = Objects.checkIndex(i, labels.length) * pixelsPerImage();
        return Arrays.copyOfRange(pixels, from, from + pixelsPerImage());
    }

    /** Image {@code i} as floats in [0, 1], row-major, length {@code height * width}. */
    public float[] image(int i) {
        float[] out = new float[pixelsPerImage()];
        copyImage(i, out, 0);
        return out;
    }

    /** Writes image {@code i} as floats in [0, 1] into {@code dst[offset .. offset + height*width)}. */
    public void copyImage(int i, float[] dst, int offset) {
        int n = pixelsPerImage();
        int from = Objects.checkIndex(i, labels.length) * n;
        Objects.checkFromIndexSize(offset, n, dst.length);
        for (int p = 0; p < n; p++) {
            dst[offset + p] = Byte.toUnsignedInt(pixels[from + p]) / 255f;
        }
    }

    /**
     * A batch of images as one flat float array of shape {@code [indices.length, height, width]}, values in
     * [0, 1]; convenient for building a tensor.
     */
    public float[] images(int[] indices) {
        int n = pixelsPerImage();
        float[] out = new float[Math.multiplyExact(indices.length, n)];
        for (int k = 0; k < indices.length; k++) {
            copyImage(indices[k], out, k * n);
        }
        return out;
    }

    /** Labels of the given images, in the order given. */
    public int[] labels(int[] indices) {
        int[] out = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            out[k] = label(indices[k]);
        }
        return out;
    }

    /** A new data set with the given images in the given order (indices may repeat). */
    public ImageDataset subset(int[] indices) {
        int n = pixelsPerImage();
        byte[] px = new byte[Math.multiplyExact(indices.length, n)];
        int[] lb = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = Objects.checkIndex(indices[k], labels.length);
            System.arraycopy(pixels, i * n, px, k * n, n);
            lb[k] = labels[i];
        }
        return new ImageDataset(px, lb, height, width, classNames);
    }

    @Override
    public String toString() {
        return "ImageDataset[" + size() + " images " + height + "x" + width + ", " + classNames.size() + " classes]";
    }
}
