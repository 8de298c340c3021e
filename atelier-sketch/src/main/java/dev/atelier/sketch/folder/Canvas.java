package dev.atelier.sketch.folder;

import dev.atelier.ml.data.DataException;
import dev.atelier.ml.data.ImageFolderLoader;
import dev.atelier.sketch.style.SketchFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * The one geometry by which garments and sketches of any size reach the model's square canvas of
 * side {@code N} (the model's {@code canvas} setting: {@value #SIDE} for the Fashion-MNIST demo, 64,
 * 128 or 256 for designers' folders), so that a garment and its sketch of the same drawing land on
 * the same pixels.
 *
 * <ul>
 *   <li>An image of exactly the canvas size is taken as already on the canvas (a sketch in
 *       {@link SketchFormat}, or a garment someone padded already).</li>
 *   <li>Any other image is content: scaled by area averaging so its longer side is
 *       {@link #content(int) N − N/8} px ({@value SketchFormat#GARMENT_SIDE} at 32; aspect ratio
 *       kept), centred (left/top margin {@code ⌊(N − size)/2⌋}), the rest filled with a background
 *       value. A 28×28 image on the 32 canvas therefore gets exactly Fashion-MNIST's 2 px margin.</li>
 * </ul>
 * The methods without a side are the {@value #SIDE} px canvas.
 *
 * Garments are filled with 0 (black ground, Fashion-MNIST polarity, after any inversion); sketches
 * with the median of their own outermost pixels (their paper, white for ink-on-paper styles, dark
 * for chalk). Before this class, folder garments were padded while folder sketches were stretched
 * to 32×32, so input and target were offset by up to 2 px. Stateless.
 */
public final class Canvas {
    /** Side of the default (Fashion-MNIST) canvas. */
    public static final int SIDE = SketchFormat.SKETCH_SIDE;
    /** Longer side of content placed on the default canvas. */
    public static final int CONTENT = SketchFormat.GARMENT_SIDE;
    /** Smallest canvas side a model may have. */
    public static final int MIN_SIDE = 32;
    /** Largest canvas side a model may have. */
    public static final int MAX_SIDE = 512;

    private Canvas() {}

    /** Width and height in pixels. */
    public record Size(int width, int height) {
        public Size {
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
            }
        }

        @Override
        public String toString() {
            return width + "x" + height;
        }
    }

    /** The size an image of {@code source} size is scaled to before it is placed on the canvas. */
    public static Size contentSize(Size source) {
        return contentSize(source, SIDE);
    }

    /**
     * Checks a canvas side: a multiple of 8 (the encoder pools three times) in
     * [{@value #MIN_SIDE}, {@value #MAX_SIDE}].
     *
     * @throws IllegalArgumentException saying which sides are allowed
     */
    public static int checkSide(int side) {
        if (side < MIN_SIDE || side > MAX_SIDE || side % 8 != 0) {
            throw new IllegalArgumentException("canvas side must be a multiple of 8 in " + MIN_SIDE + ".." + MAX_SIDE
                    + " (32 for Fashion-MNIST, 64, 128 or 256 for photos and scans), got " + side);
        }
        return side;
    }

    /** Longer side of content placed on a canvas of {@code side}: {@code side − side/8} (28 at 32, 112 at 128). */
    public static int content(int side) {
        return checkSide(side) - side / 8;
    }

    /** The size an image of {@code source} size is scaled to before it is placed on a canvas of {@code side}. */
    public static Size contentSize(Size source, int side) {
        if (source.width() == side && source.height() == side) {
            return source;
        }
        double scale = (double) content(side) / Math.max(source.width(), source.height());
        return new Size(Math.max(1, (int) Math.round(source.width() * scale)), Math.max(1, (int)
                Math.round(source.height() * scale)));
    }

    /**
     * Centres {@code content} (row-major, {@code size}) on a canvas filled with {@code background}.
     *
     * @throws IllegalArgumentException if the content is larger than the canvas or its length does not match
     */
    public static float[] place(float[] content, Size size, float background) {
        return place(content, size, background, SIDE);
    }

    /** As {@link #place(float[], Size, float)} on a canvas of {@code side}. */
    public static float[] place(float[] content, Size size, float background, int side) {
        if (content.length != size.width() * size.height()) {
            throw new IllegalArgumentException("image of " + content.length + " values is not " + size + " ("
                    + size.width() * size.height() + ")");
        }
        if (size.width() > side || size.height() > side) {
            throw new IllegalArgumentException(
                    "content " + size + " does not fit on the " + side + "x" + side + " canvas");
        }
        float[] out = new float[side * side];
        Arrays.fill(out, background);
        int left = (side - size.width()) / 2;
        int top = (side - size.height()) / 2;
        for (int y = 0; y < size.height(); y++) {
            System.arraycopy(content, y * size.width(), out, (top + y) * side + left, size.width());
        }
        return out;
    }

    /** A garment on the canvas: see the class comment; {@code invert} for dark garments on white. */
    public static float[] garment(Path file, boolean invert) {
        return garment(file, invert, SIDE);
    }

    /** A garment on a canvas of {@code side}. */
    public static float[] garment(Path file, boolean invert, int side) {
        return read(file, invert, Kind.GARMENT, side).pixels();
    }

    /** A sketch on the canvas: see the class comment. */
    public static float[] sketch(Path file) {
        return read(file, false, Kind.SKETCH, SIDE).pixels();
    }

    /** Which background a padded image gets. */
    public enum Kind {
        /** Black ground (0), Fashion-MNIST polarity. */
        GARMENT,
        /** The sketch's own paper: the median of its outermost pixels. */
        SKETCH
    }

    /**
     * One image read from a file.
     *
     * @param source the file's own size
     * @param pixels the image on the canvas, {@code side×side} row-major in [0,1]
     * @param borderMedian median of the outermost pixels of the (possibly inverted) source, the
     *     background guess used by {@code sketch check}
     * @param range max − min of the source's values (near 0: a blank image)
     */
    public record Read(Size source, float[] pixels, float borderMedian, float range) {}

    /**
     * Reads {@code file} onto the canvas.
     *
     * @throws DataException naming the file when it cannot be decoded
     */
    public static Read read(Path file, boolean invert, Kind kind) {
        return read(file, invert, kind, SIDE);
    }

    /** As {@link #read(Path, boolean, Kind)} onto a canvas of {@code side}. */
    public static Read read(Path file, boolean invert, Kind kind, int side) {
        Size source = sizeOf(file);
        Size content = contentSize(source, side);
        ImageFolderLoader loader = ImageFolderLoader.of(content.width(), content.height());
        float[] pixels = (invert ? loader.inverted() : loader).loadImage(file);
        float border = borderMedian(pixels, content);
        float background = kind == Kind.GARMENT ? 0f : border;
        float[] onCanvas =
                content.width() == side && content.height() == side ? pixels : place(pixels, content, background, side);
        float lo = 1f;
        float hi = 0f;
        for (float v : pixels) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return new Read(source, onCanvas, border, hi - lo);
    }

    /** Median of the outermost ring of pixels. */
    static float borderMedian(float[] img, Size size) {
        int w = size.width();
        int h = size.height();
        float[] ring = new float[w == 1 || h == 1 ? w * h : 2 * w + 2 * h - 4];
        int k = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (y == 0 || y == h - 1 || x == 0 || x == w - 1) {
                    ring[k++] = img[y * w + x];
                }
            }
        }
        Arrays.sort(ring, 0, k);
        return ring[k / 2];
    }

    /** The image's size from its header, without decoding it; an unreadable file fails naming it. */
    static Size sizeOf(Path file) {
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (readers.hasNext()) {
                ImageReader r = readers.next();
                try {
                    r.setInput(in);
                    return new Size(r.getWidth(0), r.getHeight(0));
                } finally {
                    r.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: the loader below produces the project's one-line error for this file
        }
        ImageFolderLoader.of(1, 1).loadImage(file);
        throw new DataException(file + ": cannot read the image size; replace or remove it");
    }
}
