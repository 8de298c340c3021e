package dev.atelier.sketch.folder;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes small grayscale PNG fixtures for the folder tests. */
final class FolderFixtures {
    private FolderFixtures() {}

    /** A w×h PNG whose pixel (x, y) is {@code value(x, y)} in [0,1]. */
    static Path png(Path file, int w, int h, PixelFunction value) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, Math.round(Math.min(1f, Math.max(0f, value.at(x, y))) * 255));
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    /** A drawing: true inside an off-centre rectangle of a w×h frame (fractions of the size). */
    static boolean inside(int x, int y, int w, int h) {
        double fx = (x + 0.5) / w;
        double fy = (y + 0.5) / h;
        return fx > 0.1 && fx < 0.45 && fy > 0.2 && fy < 0.85;
    }

    /** Garment: light shape on black. */
    static Path garment(Path file, int w, int h) throws IOException {
        return png(file, w, h, (x, y) -> inside(x, y, w, h) ? 1f : 0f);
    }

    /** Its sketch: the same shape in ink on white paper. */
    static Path sketch(Path file, int w, int h) throws IOException {
        return png(file, w, h, (x, y) -> inside(x, y, w, h) ? 0f : 1f);
    }

    @FunctionalInterface
    interface PixelFunction {
        float at(int x, int y);
    }
}
