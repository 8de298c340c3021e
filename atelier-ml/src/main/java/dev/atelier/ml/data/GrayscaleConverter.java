package dev.atelier.ml.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Converts a decoded image to 8-bit grayscale of a requested size.
 *
 * <ol>
 *   <li>Luminance: grayscale images use their sample values directly (8 or 16 bit); colour images use
 *       Rec. 601 luma {@code 0.299 R + 0.587 G + 0.114 B} of the sRGB values (as PIL's "L" mode does).
 *       Reading gray samples directly avoids Java2D's linear-gray to sRGB conversion, which would
 *       brighten them.
 *   <li>Transparency: pixels are composited over white, as an image viewer would show them.
 *   <li>Resize: area averaging. Each output pixel covers a rectangle of the source image, and its value
 *       is the average of the source pixels weighted by how much of each lies inside that rectangle.
 *       This is exact box filtering: no aliasing when shrinking, pixel replication with blended edges
 *       when enlarging. The aspect ratio is not preserved; images are stretched to the target size.
 *   <li>Optional inversion ({@code 1 - v}): Fashion-MNIST shows light garments on black, while photos
 *       usually show dark garments on white.
 *   <li>Quantisation to 0..255 by rounding, the precision of the Fashion-MNIST files.
 * </ol>
 *
 * <p>Thread-safety: stateless.
 */
final class GrayscaleConverter {

    private GrayscaleConverter() {}

    /** Converts {@code image} to {@code height x width} unsigned gray bytes, row-major. */
    static byte[] convert(BufferedImage image, int width, int height, boolean invert) {
        int sw = image.getWidth();
        int sh = image.getHeight();
        float[] gray = luminance(image);
        float[] resized = resize(gray, sw, sh, width, height);
        byte[] out = new byte[width * height];
        for (int i = 0; i < out.length; i++) {
            float v = invert ? 1f - resized[i] : resized[i];
            out[i] = (byte) Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
        }
        return out;
    }

    /** Gray values in [0, 1] composited over white, row-major {@code [height][width]}. */
    static float[] luminance(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] out = new float[w * h];
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        boolean directGray = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel);
        if (directGray) {
            float grayMax = (1 << cm.getComponentSize(0)) - 1;
            boolean alpha = cm.hasAlpha();
            float alphaMax = alpha ? (1 << cm.getComponentSize(1)) - 1 : 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = raster.getSample(x, y, 0) / grayMax;
                    float a = alpha ? raster.getSample(x, y, 1) / alphaMax : 1f;
                    out[y * w + x] = a * v + (1f - a);
                }
            }
            return out;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                float a = (argb >>> 24) / 255f;
                float luma = (0.299f * ((argb >> 16) & 0xff) + 0.587f * ((argb >> 8) & 0xff) + 0.114f * (argb & 0xff))
                        / 255f;
                out[y * w + x] = a * luma + (1f - a);
            }
        }
        return out;
    }

    /** Area-averaging resize of a row-major single-channel image. */
    static float[] resize(float[] src, int sw, int sh, int dw, int dh) {
        if (sw == dw && sh == dh) {
            return src.clone();
        }
        // separable: the 2-D box filter is the product of a horizontal and a vertical 1-D one
        float[] rows = new float[sh * dw];
        Taps[] wx = weights(sw, dw);
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < dw; x++) {
                rows[y * dw + x] = (float) apply(wx[x], src, y * sw, 1);
            }
        }
        float[] out = new float[dh * dw];
        Taps[] wy = weights(sh, dh);
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                out[y * dw + x] = (float) apply(wy[y], rows, x, dw);
            }
        }
        return out;
    }

    /** The source cells {@code first, first + 1, ...} feeding one destination cell, with weights. */
    private record Taps(int first, double[] weights) {}

    /**
     * For each destination cell, the overlap of every source cell with it divided by the destination
     * cell's width (in source units), so the weights sum to 1.
     */
    private static Taps[] weights(int srcLen, int dstLen) {
        double scale = (double) srcLen / dstLen;
        Taps[] out = new Taps[dstLen];
        for (int d = 0; d < dstLen; d++) {
            double lo = d * scale;
            double hi = (d + 1) * scale;
            int first = (int) Math.floor(lo);
            int last = Math.min(srcLen - 1, (int) Math.ceil(hi) - 1);
            double[] w = new double[last - first + 1];
            for (int s = first; s <= last; s++) {
                w[s - first] = (Math.min(hi, s + 1) - Math.max(lo, s)) / scale;
            }
            out[d] = new Taps(first, w);
        }
        return out;
    }

    private static double apply(Taps taps, float[] data, int offset, int stride) {
        double sum = 0;
        double[] w = taps.weights();
        for (int k = 0; k < w.length; k++) {
            sum += w[k] * data[offset + (taps.first() + k) * stride];
        }
        return sum;
    }
}
