package dev.atelier.sketch.style;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes {@code docs/images/styles.png}: one row per real Fashion-MNIST test garment (the first
 * example of each class), columns = input (padded to 32×32) + the eight styles, every cell upscaled
 * ×{@value #SCALE} with nearest-neighbour so single pixels stay visible.
 *
 * <p>Usage: {@code StylesSheetGenerator [t10k-images.gz t10k-labels.gz out.png]}; defaults are the
 * system Fashion-MNIST test files and {@code docs/images/styles.png}.
 */
public final class StylesSheetGenerator {

    static final int SCALE = 4;
    private static final int CELL = SketchFormat.SKETCH_SIDE * SCALE;
    private static final int GAP = 6;
    private static final int LABEL_W = 92;
    private static final int HEADER_H = 22;

    private StylesSheetGenerator() {}

    public static void main(String[] args) throws IOException {
        Path images = args.length > 0 ? Path.of(args[0]) : FashionMnistIdx.testImages();
        Path labels = args.length > 1 ? Path.of(args[1]) : FashionMnistIdx.testLabels();
        Path out = args.length > 2 ? Path.of(args[2]) : Path.of("docs/images/styles.png");
        float[][] x = FashionMnistIdx.images(images, 200);
        int[] y = FashionMnistIdx.labels(labels, 200);
        float[][] rows = new float[10][];
        int[] rowLabels = new int[10];
        int filled = 0;
        for (int c = 0; c < 10; c++) {
            for (int k = 0; k < y.length; k++) {
                if (y[k] == c) {
                    rows[filled] = x[k];
                    rowLabels[filled++] = c;
                    break;
                }
            }
        }
        BufferedImage sheet = render(rows, rowLabels, filled);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        ImageIO.write(sheet, "png", out.toFile());
        System.out.println("wrote " + out.toAbsolutePath() + " (" + sheet.getWidth() + "x" + sheet.getHeight() + ")");
    }

    static BufferedImage render(float[][] garments, int[] labels, int n) {
        Styles[] styles = Styles.values();
        int cols = styles.length + 1;
        int width = LABEL_W + cols * (CELL + GAP);
        int height = HEADER_H + n * (CELL + GAP);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(0xE8E8E8));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString("input", LABEL_W + CELL / 2 - 16, 16);
        for (int s = 0; s < styles.length; s++) {
            g.drawString(styles[s].styleName(), LABEL_W + (s + 1) * (CELL + GAP) + CELL / 2 - 24, 16);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int r = 0; r < n; r++) {
            int top = HEADER_H + r * (CELL + GAP);
            g.setColor(Color.BLACK);
            g.drawString(FashionMnistIdx.CLASS_NAMES[labels[r]], 6, top + CELL / 2 + 4);
            blit(img, SketchFormat.padGarment(garments[r]), LABEL_W, top);
            for (int s = 0; s < styles.length; s++) {
                blit(img, styles[s].render(garments[r]), LABEL_W + (s + 1) * (CELL + GAP), top);
            }
        }
        g.dispose();
        return img;
    }

    /** Draws a 32×32 [0,1] image as grey levels, nearest-neighbour upscaled ×SCALE. */
    private static void blit(BufferedImage img, float[] pixels, int left, int top) {
        int side = SketchFormat.SKETCH_SIDE;
        for (int y = 0; y < side * SCALE; y++) {
            for (int x = 0; x < side * SCALE; x++) {
                float v = pixels[(y / SCALE) * side + x / SCALE];
                int grey = Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
                img.setRGB(left + x, top + y, (grey << 16) | (grey << 8) | grey);
            }
        }
    }
}
