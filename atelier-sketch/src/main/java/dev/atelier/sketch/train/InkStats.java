package dev.atelier.sketch.train;

import java.util.List;
import java.util.Locale;

/**
 * Grey levels of one designer's own sketches (1 = paper, 0 = ink), measured from her data, never
 * from a style's name: the share of pixels that are ink ({@code < }{@value #INK}), and of that ink
 * the share that is mid-grey ({@code [}{@value #DARK}, {@value #LIGHT}{@code )}) and light
 * ({@code [}{@value #LIGHT}, {@value #INK}{@code )}); the rest of the ink is dark.
 * {@link #midGrey()} scales her ink-distribution term ({@link LossWeights#ink()}): a designer who
 * draws only black on white has no grey levels for pixel L1 to average away, so the term has
 * nothing to restore for her and stays off.
 *
 * @param ink     share of all pixels that are ink, in [0, 1]
 * @param midGrey share of her ink that is mid-grey, in [0, 1]
 * @param light   share of her ink that is light grey, in [0, 1]
 */
public record InkStats(double ink, double midGrey, double light) {
    public static final float INK = 0.9f;
    public static final float DARK = 0.1f;
    public static final float LIGHT = 0.7f;

    public InkStats {
        for (double v : new double[] {ink, midGrey, light}) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(
                        "ink shares must be in [0, 1], got " + ink + ", " + midGrey + ", " + light);
            }
        }
    }

    /** Measures her sketches (any canvas, values in [0, 1]); NaN pixels are an error. */
    public static InkStats of(List<float[]> sketches) {
        if (sketches.isEmpty()) {
            throw new IllegalArgumentException("ink statistics need at least one sketch");
        }
        long total = 0;
        long ink = 0;
        long mid = 0;
        long light = 0;
        for (float[] s : sketches) {
            for (float v : s) {
                if (Float.isNaN(v)) {
                    throw new IllegalArgumentException("a sketch has a NaN pixel");
                }
                total++;
                if (v < INK) {
                    ink++;
                    if (v >= LIGHT) {
                        light++;
                    } else if (v >= DARK) {
                        mid++;
                    }
                }
            }
        }
        double perInk = Math.max(1, ink);
        return new InkStats(ink / (double) Math.max(1, total), mid / perInk, light / perInk);
    }

    /** Share of her ink that must be dark for {@link #crisp()}. */
    public static final double CRISP_DARK_SHARE = 0.95;

    /**
     * Whether she draws in crisp ink: at least {@value #CRISP_DARK_SHARE} of her ink is dark, so
     * pixel L1 has no faint strokes of hers to average away ({@link TrainerSettings#crispInkL1()}).
     * False for a designer with no ink at all.
     */
    public boolean crisp() {
        return ink > 0 && dark() >= CRISP_DARK_SHARE;
    }

    /** Share of all pixels that are mid-grey ink: {@link #ink()} × {@link #midGrey()}. */
    public double greyPixels() {
        return ink * midGrey;
    }

    /**
     * How much of her mid-grey ink a model's sketches leave out: {@code max(0, 1 − g_model / g_her)}
     * with {@code g} = {@link #greyPixels()}, in [0, 1]; 0 when she draws no mid-grey at all (nothing
     * to leave out) or when the model draws as much grey as she does or more.
     *
     * @param model the grey levels of the model's sketches (of her garments)
     */
    public double greyDeficit(InkStats model) {
        double hers = greyPixels();
        return hers > 0 ? Math.max(0, 1 - model.greyPixels() / hers) : 0;
    }

    /** Share of her ink that is dark ({@code < }{@value #DARK}). */
    public double dark() {
        return Math.max(0, 1 - midGrey - light);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT, "InkStats[ink=%.3f, dark=%.3f, midGrey=%.3f, light=%.3f]", ink, dark(), midGrey, light);
    }
}
