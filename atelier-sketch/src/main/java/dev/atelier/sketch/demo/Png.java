package dev.atelier.sketch.demo;

import dev.atelier.ml.data.BoundedImageDecoder;
import dev.atelier.ml.data.DataException;
import dev.atelier.ml.data.ImageFolderLoader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Grayscale images ({@code float[]} in [0,1], square, row-major) to PNG files and data URIs. */
public final class Png {
    private Png() {}

    /** A square grayscale image, each pixel repeated {@code scale}×{@code scale} (nearest neighbour). */
    public static BufferedImage image(float[] pixels, int scale) {
        int side = (int) Math.round(Math.sqrt(pixels.length));
        if (side * side != pixels.length) {
            throw new IllegalArgumentException("image of " + pixels.length + " pixels is not square");
        }
        BufferedImage img = new BufferedImage(side * scale, side * scale, BufferedImage.TYPE_BYTE_GRAY);
        var raster = img.getRaster();
        for (int y = 0; y < side * scale; y++) {
            for (int x = 0; x < side * scale; x++) {
                float v = pixels[(y / scale) * side + x / scale];
                raster.setSample(x, y, 0, Math.round(Math.min(1f, Math.max(0f, v)) * 255f));
            }
        }
        return img;
    }

    public static byte[] encode(float[] pixels, int scale) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image(pixels, scale), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(float[] pixels, int scale, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, encode(pixels, scale));
    }

    /** {@code data:image/png;base64,...} for embedding in a self-contained HTML report. */
    public static String dataUri(float[] pixels, int scale) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(encode(pixels, scale));
    }

    /** Reads a PNG/JPEG as grayscale [0,1] at its own size (luminance, see ImageFolderLoader); errors name the file. */
    public static float[] readGray(Path file) throws IOException {
        BufferedImage img;
        try {
            img = BoundedImageDecoder.decode(Files.readAllBytes(file));
        } catch (BoundedImageDecoder.Unreadable e) {
            throw new IOException("cannot read image " + file + ": " + e.getMessage(), e);
        }
        // the project's loader reads gray samples directly; getRGB would brighten 8-bit gray PNGs
        // (Java2D's linear-gray to sRGB conversion), so a written sketch would not read back as written
        try {
            return ImageFolderLoader.of(img.getWidth(), img.getHeight()).loadImage(file);
        } catch (DataException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
