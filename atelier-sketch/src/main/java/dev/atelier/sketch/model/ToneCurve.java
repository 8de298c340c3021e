package dev.atelier.sketch.model;

import dev.atelier.core.params.ParamSet;
import java.util.Arrays;
import java.util.List;

/**
 * A designer's tone curve: a monotone piecewise-linear map of sketch values in [0,1] that gives her
 * model's sketches the ink distribution of her own (quantile, or histogram, matching).
 *
 * <p>Fitted once after training ({@link #fit}) from two samples that both stay on her machine: the
 * pixel values her model draws for her own training garments, and the pixel values of her own
 * sketches. Knot {@code j} of {@value #KNOTS} pairs the two samples' quantiles at {@code j/(KNOTS-1)}:
 * a value at the model's q-quantile becomes her q-quantile. Knots that share an input value
 * (a tone the model draws on many pixels, e.g. its paper) are merged and map to the mean of their
 * outputs. Why: the generator learns where her strokes go but, with a few hundred steps of a pixel
 * L1 and a Gram term, not the exact greys of her ink; thin crisp lines then come out slightly uneven
 * and faint lines too faint, which the evaluator reads as another style (docs/demo.md, session 14:
 * contour 0.76-0.78 -> 0.93-0.96 at seeds 7/8). The curve changes no stroke's position, only its tone.
 *
 * <p>Part of her local model ({@link SketchGan#toneCurve()}), saved with it as {@code tone.in} and
 * {@code tone.out}; never shared with the federation. Immutable.
 */
public final class ToneCurve {
    /** Quantile knots of a fitted curve. */
    public static final int KNOTS = 257;
    /** The most knots a checkpoint may hold (bounds what a file can make us allocate). */
    public static final int MAX_KNOTS = 4096;

    /** Checkpoint tensor names of the knots' inputs and outputs. */
    public static final String IN = "tone.in";

    public static final String OUT = "tone.out";

    private final float[] in;
    private final float[] out;

    private ToneCurve(float[] in, float[] out) {
        this.in = in;
        this.out = out;
    }

    /**
     * A curve through the given knots: 2..{@value #MAX_KNOTS} of them, every value finite and in
     * [0,1], inputs strictly increasing, outputs non-decreasing (so the map is monotone).
     *
     * @throws IllegalArgumentException naming the first knot that breaks a rule
     */
    public static ToneCurve of(float[] in, float[] out) {
        if (in.length != out.length || in.length < 2 || in.length > MAX_KNOTS) {
            throw new IllegalArgumentException("a tone curve needs 2.." + MAX_KNOTS
                    + " knots with as many inputs as outputs, got " + in.length + " and " + out.length);
        }
        for (int j = 0; j < in.length; j++) {
            if (!(in[j] >= 0 && in[j] <= 1) || !(out[j] >= 0 && out[j] <= 1)) {
                throw new IllegalArgumentException(
                        "tone curve knot " + j + " is outside [0,1]: " + in[j] + " -> " + out[j]);
            }
            if (j > 0 && (!(in[j] > in[j - 1]) || !(out[j] >= out[j - 1]))) {
                throw new IllegalArgumentException("tone curve knot " + j
                        + " does not increase: inputs must rise strictly and outputs never fall");
            }
        }
        return new ToneCurve(in.clone(), out.clone());
    }

    /**
     * Fits the curve that maps the distribution of {@code modelSketches}' pixels onto that of
     * {@code herSketches}' (both non-empty, values clamped to [0,1]).
     */
    public static ToneCurve fit(List<float[]> modelSketches, List<float[]> herSketches) {
        float[] model = sortedPixels(modelSketches, "model");
        float[] hers = sortedPixels(herSketches, "her");
        float[] qin = new float[KNOTS];
        float[] qout = new float[KNOTS];
        for (int j = 0; j < KNOTS; j++) {
            double q = j / (double) (KNOTS - 1);
            qin[j] = model[(int) Math.round(q * (model.length - 1))];
            qout[j] = hers[(int) Math.round(q * (hers.length - 1))];
        }
        // merge knots with equal inputs: one knot at that input, the mean of their outputs
        float[] mi = new float[KNOTS];
        float[] mo = new float[KNOTS];
        int n = 0;
        for (int j = 0; j < KNOTS; ) {
            int k = j;
            double sum = 0;
            while (k < KNOTS && qin[k] == qin[j]) {
                sum += qout[k++];
            }
            mi[n] = qin[j];
            mo[n] = (float) (sum / (k - j));
            if (n > 0) {
                mo[n] = Math.max(mo[n], mo[n - 1]); // float rounding of a mean must not make it fall
            }
            n++;
            j = k;
        }
        if (n == 1) {
            // the model draws one value everywhere: nothing to rank, map it to her median
            return new ToneCurve(new float[] {0, 1}, new float[] {hers[hers.length / 2], hers[hers.length / 2]});
        }
        return new ToneCurve(Arrays.copyOf(mi, n), Arrays.copyOf(mo, n));
    }

    private static float[] sortedPixels(List<float[]> sketches, String whose) {
        long total = 0;
        for (float[] s : sketches) {
            total += s.length;
        }
        if (total == 0 || total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("fitting a tone curve needs 1.." + (Integer.MAX_VALUE - 8) + " of "
                    + whose + " sketch pixels, got " + total);
        }
        float[] all = new float[(int) total];
        int k = 0;
        for (float[] s : sketches) {
            for (float v : s) {
                if (Float.isNaN(v)) {
                    throw new IllegalArgumentException(whose + " sketches hold a NaN pixel");
                }
                all[k++] = Math.min(1f, Math.max(0f, v));
            }
        }
        Arrays.sort(all);
        return all;
    }

    /** The curve at {@code v}: linear between knots, flat outside them (NaN stays NaN). */
    public float apply(float v) {
        if (!(v > in[0])) {
            return Float.isNaN(v) ? v : out[0];
        }
        int last = in.length - 1;
        if (v >= in[last]) {
            return out[last];
        }
        int k = Arrays.binarySearch(in, v);
        if (k >= 0) {
            return out[k];
        }
        int hi = -k - 1; // in[hi - 1] < v < in[hi]
        float t = (v - in[hi - 1]) / (in[hi] - in[hi - 1]);
        return out[hi - 1] + t * (out[hi] - out[hi - 1]);
    }

    /** Applies the curve to every pixel of every sketch, in place; returns {@code sketches}. */
    public float[][] applyInPlace(float[][] sketches) {
        for (float[] s : sketches) {
            for (int i = 0; i < s.length; i++) {
                s[i] = apply(s[i]);
            }
        }
        return sketches;
    }

    /** The knots' inputs, a copy. */
    public float[] inputs() {
        return in.clone();
    }

    /** The knots' outputs, a copy. */
    public float[] outputs() {
        return out.clone();
    }

    /** The knots as checkpoint tensors {@value #IN} and {@value #OUT}. */
    public ParamSet toParamSet() {
        return ParamSet.builder()
                .putF32(IN, new long[] {in.length}, in)
                .putF32(OUT, new long[] {out.length}, out)
                .build();
    }

    /** The curve a checkpoint holds, or null for one written before tone curves (or without one). */
    public static ToneCurve fromParamSet(ParamSet p) {
        boolean hasIn = p.contains(IN);
        if (hasIn != p.contains(OUT)) {
            throw new IllegalArgumentException("a tone curve needs both '" + IN + "' and '" + OUT + "'");
        }
        if (!hasIn) {
            return null;
        }
        if (p.get(IN).shape().length != 1 || p.get(OUT).shape().length != 1) {
            throw new IllegalArgumentException("'" + IN + "' and '" + OUT + "' must be vectors");
        }
        return of(p.get(IN).toFloats(), p.get(OUT).toFloats());
    }
}
