package dev.atelier.sketch.eval;

import java.util.List;

/**
 * Structural similarity (Wang, Bovik, Sheikh &amp; Simoncelli, "Image quality assessment: from error
 * visibility to structural similarity", IEEE TIP 2004) between two square grayscale images in [0,1].
 *
 * <p>Local statistics are Gaussian-weighted over a {@value #WINDOW}×{@value #WINDOW} window with
 * σ = {@value #SIGMA} px (weights normalised to sum 1). The paper's 11×11 window would leave only a
 * 22×22 map on a 32×32 sketch and ignore the outer 5 px where many outlines lie; the 7×7 window keeps a
 * 26×26 map (centres at pixels 3..28, the garment occupies 2..29). Per window, with biased weighted
 * moments μ, σ², σ_xy:
 *
 * <pre>SSIM = (2 μx μy + C1)(2 σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)),  C1 = (0.01)², C2 = (0.03)²</pre>
 *
 * (data range L = 1). The image score is the mean over all 'valid' window positions (no padding).
 * Unitless, in [-1, 1]; 1 only for identical images. Stateless and thread-safe.
 */
public final class Ssim {
    public static final int WINDOW = 7;
    public static final double SIGMA = 1.5;
    public static final double C1 = 0.01 * 0.01;
    public static final double C2 = 0.03 * 0.03;
    private static final double[] KERNEL = gaussian1d(WINDOW, SIGMA);

    private Ssim() {}

    /**
     * SSIM of two images of equal length {@code side²}, row-major.
     *
     * @throws IllegalArgumentException if the images are not square, differ in size or are smaller than the window
     */
    public static double of(float[] x, float[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("images differ in size: " + x.length + " vs " + y.length + " pixels");
        }
        int side = (int) Math.round(Math.sqrt(x.length));
        if (side * side != x.length || side < WINDOW) {
            throw new IllegalArgumentException("SSIM needs square images of at least " + WINDOW + "x" + WINDOW
                    + " pixels, got " + x.length + " pixels");
        }
        int out = side - WINDOW + 1;
        // separable Gaussian: filter rows first (side x out), then columns (out x out)
        double[][] rows = new double[5][side * out];
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < out; c++) {
                double mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
                for (int k = 0; k < WINDOW; k++) {
                    double w = KERNEL[k];
                    double a = x[r * side + c + k];
                    double b = y[r * side + c + k];
                    mx += w * a;
                    my += w * b;
                    mxx += w * a * a;
                    myy += w * b * b;
                    mxy += w * a * b;
                }
                int i = r * out + c;
                rows[0][i] = mx;
                rows[1][i] = my;
                rows[2][i] = mxx;
                rows[3][i] = myy;
                rows[4][i] = mxy;
            }
        }
        double sum = 0;
        for (int r = 0; r < out; r++) {
            for (int c = 0; c < out; c++) {
                double[] m = new double[5];
                for (int k = 0; k < WINDOW; k++) {
                    double w = KERNEL[k];
                    int i = (r + k) * out + c;
                    for (int s = 0; s < 5; s++) {
                        m[s] += w * rows[s][i];
                    }
                }
                double vx = m[2] - m[0] * m[0];
                double vy = m[3] - m[1] * m[1];
                double cxy = m[4] - m[0] * m[1];
                sum += (2 * m[0] * m[1] + C1) * (2 * cxy + C2) / ((m[0] * m[0] + m[1] * m[1] + C1) * (vx + vy + C2));
            }
        }
        return sum / (out * out);
    }

    /** Mean SSIM over aligned pairs {@code (x[i], y[i])}. */
    public static double mean(List<float[]> x, List<float[]> y) {
        Pairs.check(x, y);
        double s = 0;
        for (int i = 0; i < x.size(); i++) {
            s += of(x.get(i), y.get(i));
        }
        return s / x.size();
    }

    static double[] gaussian1d(int size, double sigma) {
        double[] k = new double[size];
        double total = 0;
        int half = size / 2;
        for (int i = 0; i < size; i++) {
            k[i] = Math.exp(-(double) (i - half) * (i - half) / (2 * sigma * sigma));
            total += k[i];
        }
        for (int i = 0; i < size; i++) {
            k[i] /= total;
        }
        return k;
    }
}
