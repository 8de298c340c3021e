package dev.atelier.ml.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes gzip-compressed IDX files in the layout {@link IdxReader} reads: idx3-ubyte images {@code [n,
 * rows, cols]} and idx1-ubyte labels {@code [n]} (values 0..255).
 *
 * <p>Output is deterministic for a given input (maximum compression, zero gzip timestamp, no file
 * name), which keeps regenerated fixtures byte-identical. Used to build the committed fixture and to
 * make synthetic data sets in tests.
 *
 * <p>Thread-safety: stateless; all methods may be called concurrently.
 */
public final class IdxWriter {

    private IdxWriter() {}

    /** Writes images from flat unsigned pixels {@code [count, rows, cols]}. */
    public static void writeImages(Path gzFile, byte[] pixels, int count, int rows, int cols) throws IOException {
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException("pixel array has " + pixels.length + " bytes, shape [" + count + ", "
                    + rows + ", " + cols + "] needs " + (long) count * rows * cols);
        }
        try (DataOutputStream out = open(gzFile)) {
            out.writeInt(IdxReader.IMAGES_MAGIC);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(pixels);
        }
    }

    /** Writes all images of a data set. */
    public static void writeImages(Path gzFile, ImageDataset data) throws IOException {
        byte[] pixels = new byte[data.size() * data.pixelsPerImage()];
        for (int i = 0; i < data.size(); i++) {
            System.arraycopy(data.rawImage(i), 0, pixels, i * data.pixelsPerImage(), data.pixelsPerImage());
        }
        writeImages(gzFile, pixels, data.size(), data.height(), data.width());
    }

    /** Writes labels; each must be in 0..255. */
    public static void writeLabels(Path gzFile, int[] labels) throws IOException {
        byte[] raw = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException(
                        "label " + labels[i] + " at " + i + " does not fit an unsigned byte");
            }
            raw[i] = (byte) labels[i];
        }
        try (DataOutputStream out = open(gzFile)) {
            out.writeInt(IdxReader.LABELS_MAGIC);
            out.writeInt(labels.length);
            out.write(raw);
        }
    }

    private static DataOutputStream open(Path gzFile) throws IOException {
        OutputStream file = Files.newOutputStream(gzFile);
        try {
            GZIPOutputStream gz = new GZIPOutputStream(file, 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_COMPRESSION);
                }
            };
            return new DataOutputStream(new BufferedOutputStream(gz, 1 << 16));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }
}
