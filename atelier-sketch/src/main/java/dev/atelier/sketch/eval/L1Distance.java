package dev.atelier.sketch.eval;

import java.util.List;

/**
 * Mean absolute per-pixel difference between aligned images in [0,1]:
 * {@code L1 = (1 / (N·P)) Σ_i Σ_p |g_i[p] − r_i[p]|} over N pairs of P pixels. Unit: intensity (0 =
 * identical, 1 = every pixel black vs white). Stateless and thread-safe.
 */
public final class L1Distance {
    private L1Distance() {}

    /** Mean |x − y| over the pixels of one pair. */
    public static double of(float[] x, float[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("images differ in size: " + x.length + " vs " + y.length + " pixels");
        }
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += Math.abs(x[i] - y[i]);
        }
        return s / x.length;
    }

    /** Mean over aligned pairs (all images must have the same size, so this is the mean over all pixels). */
    public static double mean(List<float[]> generated, List<float[]> references) {
        Pairs.check(generated, references);
        double s = 0;
        for (int i = 0; i < generated.size(); i++) {
            s += of(generated.get(i), references.get(i));
        }
        return s / generated.size();
    }
}
