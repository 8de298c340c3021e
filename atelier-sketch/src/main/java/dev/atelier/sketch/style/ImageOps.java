package dev.atelier.sketch.style;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Float-image raster operations shared by the sketch styles: thresholding, Sobel, Gaussian blur,
 * bilinear sampling/warping, smooth noise, painting and content seeds.
 *
 * <p>Images are row-major {@code float[]} of width {@code w} (height = length / w); masks are
 * row-major {@code boolean[]} with the same layout (mask-only operations live in {@link MaskOps}).
 * Reads outside the image replicate the nearest edge pixel. Every method returns a new array unless
 * it is documented to work in place.
 */
public final class ImageOps {

    private ImageOps() {}

    /** Mask of pixels whose value is strictly greater than {@code t}. */
    public static boolean[] threshold(float[] img, float t) {
        boolean[] m = new boolean[img.length];
        for (int i = 0; i < img.length; i++) {
            m[i] = img[i] > t;
        }
        return m;
    }

    /**
     * Sobel gradients with edge replication: {@code [0]} = d/dx (positive when brighter to the
     * right), {@code [1]} = d/dy (positive when brighter below); a unit step gives magnitude 4.
     */
    public static float[][] sobel(float[] img, int w) {
        int h = img.length / w;
        float[] gx = new float[img.length];
        float[] gy = new float[img.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                gx[i] = px(img, w, h, x + 1, y - 1)
                        + 2 * px(img, w, h, x + 1, y)
                        + px(img, w, h, x + 1, y + 1)
                        - px(img, w, h, x - 1, y - 1)
                        - 2 * px(img, w, h, x - 1, y)
                        - px(img, w, h, x - 1, y + 1);
                gy[i] = px(img, w, h, x - 1, y + 1)
                        + 2 * px(img, w, h, x, y + 1)
                        + px(img, w, h, x + 1, y + 1)
                        - px(img, w, h, x - 1, y - 1)
                        - 2 * px(img, w, h, x, y - 1)
                        - px(img, w, h, x + 1, y - 1);
            }
        }
        return new float[][] {gx, gy};
    }

    /** Sobel gradient magnitude sqrt(gx² + gy²); a unit step gives 4. */
    public static float[] sobelMagnitude(float[] img, int w) {
        float[][] g = sobel(img, w);
        float[] out = new float[img.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.hypot(g[0][i], g[1][i]);
        }
        return out;
    }

    /** Pixel read with edge replication. */
    public static float px(float[] img, int w, int h, int x, int y) {
        int cx = Math.min(w - 1, Math.max(0, x));
        int cy = Math.min(h - 1, Math.max(0, y));
        return img[cy * w + cx];
    }

    /** Separable Gaussian blur (kernel radius ceil(3σ), edge replication). */
    public static float[] gaussianBlur(float[] img, int w, double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = (float) Math.exp(-(i * i) / (2 * sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        int h = img.length / w;
        float[] tmp = new float[img.length];
        float[] out = new float[img.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int i = -r; i <= r; i++) {
                    acc += k[i + r] * px(img, w, h, x + i, y);
                }
                tmp[y * w + x] = acc;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int i = -r; i <= r; i++) {
                    acc += k[i + r] * px(tmp, w, h, x, y + i);
                }
                out[y * w + x] = acc;
            }
        }
        return out;
    }

    /**
     * Gaussian blur restricted to a mask (normalised convolution): only pixels inside the mask
     * contribute, and each output is divided by the mask's own blurred weight, so values near the mask
     * edge are not pulled towards the outside. Pixels outside the mask are 0.
     */
    public static float[] maskedBlur(float[] img, boolean[] mask, int w, double sigma) {
        float[] masked = new float[img.length];
        float[] weight = new float[img.length];
        for (int i = 0; i < img.length; i++) {
            masked[i] = mask[i] ? img[i] : 0f;
            weight[i] = mask[i] ? 1f : 0f;
        }
        float[] num = gaussianBlur(masked, w, sigma);
        float[] den = gaussianBlur(weight, w, sigma);
        float[] out = new float[img.length];
        for (int i = 0; i < img.length; i++) {
            out[i] = mask[i] ? num[i] / Math.max(1e-6f, den[i]) : 0f;
        }
        return out;
    }

    /** Bilinear sample at continuous pixel coordinates (pixel centres at integers), edge replication. */
    public static float sampleBilinear(float[] img, int w, double x, double y) {
        int h = img.length / w;
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        float fx = (float) (x - x0);
        float fy = (float) (y - y0);
        float top = px(img, w, h, x0, y0) * (1 - fx) + px(img, w, h, x0 + 1, y0) * fx;
        float bottom = px(img, w, h, x0, y0 + 1) * (1 - fx) + px(img, w, h, x0 + 1, y0 + 1) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    /** Bilinear resample of a w×h image to outW×outH (pixel-centre aligned). */
    public static float[] resampleBilinear(float[] img, int w, int outW, int outH) {
        int h = img.length / w;
        float[] out = new float[outW * outH];
        double sx = (double) w / outW;
        double sy = (double) h / outH;
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                out[y * outW + x] = sampleBilinear(img, w, (x + 0.5) * sx - 0.5, (y + 0.5) * sy - 0.5);
            }
        }
        return out;
    }

    /**
     * Backward warp: {@code out(x, y) = img(x + dx(x, y), y + dy(x, y))}, bilinear, edge replication.
     */
    public static float[] warp(float[] img, int w, float[] dx, float[] dy) {
        int h = img.length / w;
        float[] out = new float[img.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                out[i] = sampleBilinear(img, w, x + dx[i], y + dy[i]);
            }
        }
        return out;
    }

    /**
     * Smooth random field: white noise blurred with a Gaussian of {@code sigma} px, rescaled to zero
     * mean and unit standard deviation, so it varies on a scale of ~sigma pixels and |value| rarely
     * exceeds 3.
     */
    public static float[] smoothNoise(int w, int h, double sigma, SplittableRandom rnd) {
        float[] white = new float[w * h];
        for (int i = 0; i < white.length; i++) {
            white[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        float[] s = gaussianBlur(white, w, sigma);
        double mean = 0;
        for (float v : s) {
            mean += v;
        }
        mean /= s.length;
        double var = 0;
        for (float v : s) {
            var += (v - mean) * (v - mean);
        }
        float sd = (float) Math.max(1e-9, Math.sqrt(var / s.length));
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) ((s[i] - mean) / sd);
        }
        return s;
    }

    /** Sets {@code canvas[i] = value} wherever the mask is true, in place. */
    public static void paint(float[] canvas, boolean[] mask, float value) {
        for (int i = 0; i < canvas.length; i++) {
            if (mask[i]) {
                canvas[i] = value;
            }
        }
    }

    /** New image filled with {@code value}. */
    public static float[] filled(int n, float value) {
        float[] out = new float[n];
        Arrays.fill(out, value);
        return out;
    }

    /** Clamps every value into [0,1], in place, and returns the same array. */
    public static float[] clamp01(float[] img) {
        for (int i = 0; i < img.length; i++) {
            img[i] = Math.min(1f, Math.max(0f, img[i]));
        }
        return img;
    }

    /**
     * Deterministic 64-bit seed from image content: values are quantised to 8 bits first so that
     * float round-off in the caller's pipeline (e.g. /255 vs *1/255) cannot change the seed.
     */
    public static long contentSeed(float[] img) {
        long h = 0x9E3779B97F4A7C15L;
        for (float v : img) {
            int q = Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
            h = (h ^ q) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return h;
    }
}
