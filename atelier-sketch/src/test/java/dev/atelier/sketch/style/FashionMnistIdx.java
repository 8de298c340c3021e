package dev.atelier.sketch.style;

import dev.atelier.ml.data.FashionMnistResolver;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Minimal test-only reader for gzip-compressed IDX files (Fashion-MNIST layout): images as
 * {@code float[n][784]} in [0,1] (byte / 255), labels as {@code int[n]} in 0..9.
 */
final class FashionMnistIdx {

    static final String[] CLASS_NAMES = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"
    };

    private FashionMnistIdx() {}

    /**
     * The real test images, found as the product finds the data set ({@link FashionMnistResolver}:
     * {@code ATELIER_DATA}, the user cache, the Debian package; never downloaded here). Throws the
     * resolver's message, listing every place tried, when none holds it.
     */
    static Path testImages() {
        return dir().resolve("t10k-images-idx3-ubyte.gz");
    }

    /** The real test labels, found like {@link #testImages()}. */
    static Path testLabels() {
        return dir().resolve("t10k-labels-idx1-ubyte.gz");
    }

    private static Path dir() {
        return FashionMnistResolver.builder().download(false).build().resolve().directory();
    }

    /** Reads the first {@code limit} images (all if the file has fewer). */
    static float[][] images(Path file, int limit) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x00000803) {
                throw new IOException(file + ": not an IDX3 ubyte file (magic " + Integer.toHexString(magic) + ")");
            }
            int n = Math.min(limit, in.readInt());
            int rows = in.readInt();
            int cols = in.readInt();
            float[][] out = new float[n][rows * cols];
            byte[] buf = new byte[rows * cols];
            for (int k = 0; k < n; k++) {
                in.readFully(buf);
                for (int i = 0; i < buf.length; i++) {
                    out[k][i] = (buf[i] & 0xFF) / 255f;
                }
            }
            return out;
        }
    }

    /** Reads the first {@code limit} labels. */
    static int[] labels(Path file, int limit) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x00000801) {
                throw new IOException(file + ": not an IDX1 ubyte file (magic " + Integer.toHexString(magic) + ")");
            }
            int n = Math.min(limit, in.readInt());
            int[] out = new int[n];
            for (int k = 0; k < n; k++) {
                out[k] = in.readUnsignedByte();
            }
            return out;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw)));
    }
}
