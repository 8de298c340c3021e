package dev.atelier.core.privacy.secagg;

import dev.atelier.core.privacy.RandomBits;

/**
 * Maps float updates to integers for secure aggregation over {@code Z_{2^32}}, as Flower's
 * SecAgg+ does: clip each coordinate to {@code [-c, c]} ({@code clippingRange}), map linearly to
 * {@code [0, L]} ({@code targetRange}) and round stochastically (up with probability equal to the
 * fractional part, so the quantised value is unbiased). A sum of {@code n} such vectors is exact
 * modulo {@code 2^32} as long as {@code n * L < 2^32}; {@link #dequantizeSum} then returns
 * {@code sum_i clip(x_i)} with an error per coordinate of at most {@code n * 2c / L} (each node's
 * rounding is within one step {@code 2c / L}, mean zero). Weighted FedAvg: quantise
 * {@code w_i x_i} with {@code c} covering the weighted values, and send {@code w_i} as one more
 * coordinate. Immutable, thread-safe (the caller supplies the bits).
 *
 * @param clippingRange {@code c > 0}: coordinates outside {@code [-c, c]} are clipped
 * @param targetRange {@code L} in [1, 2^31]: quantisation levels
 */
public record StochasticQuantizer(double clippingRange, long targetRange) {
    public StochasticQuantizer {
        if (!(clippingRange > 0) || Double.isInfinite(clippingRange)) {
            throw new IllegalArgumentException("clipping range must be finite and > 0, got " + clippingRange);
        }
        if (targetRange < 1 || targetRange > (1L << 31)) {
            throw new IllegalArgumentException("target range must be in [1, 2^31], got " + targetRange);
        }
    }

    /** The largest number of vectors whose sum cannot wrap: {@code floor((2^32 - 1) / L)}. */
    public long maxSummands() {
        return ((1L << 32) - 1) / targetRange;
    }

    /** Quantised values in {@code [0, L]}, as unsigned 32-bit ints. */
    public int[] quantize(float[] x, RandomBits bits) {
        int[] out = new int[x.length];
        double scale = targetRange / (2 * clippingRange);
        for (int i = 0; i < x.length; i++) {
            if (Float.isNaN(x[i])) {
                throw new IllegalArgumentException("cannot quantise NaN at coordinate " + i);
            }
            double v = Math.max(-clippingRange, Math.min(clippingRange, x[i]));
            double s = (v + clippingRange) * scale;
            double floor = Math.floor(s);
            long q = (long) floor + (bits.nextUnit() < s - floor ? 1 : 0);
            out[i] = (int) Math.min(q, targetRange);
        }
        return out;
    }

    /**
     * The float sum of {@code count} quantised vectors from their sum modulo {@code 2^32}.
     *
     * @throws IllegalArgumentException when {@code count} exceeds {@link #maxSummands()} (the sum may have wrapped)
     */
    public float[] dequantizeSum(int[] sumMod32, long count) {
        if (count < 1 || count > maxSummands()) {
            throw new IllegalArgumentException("cannot dequantise a sum of " + count + " vectors with target range "
                    + targetRange + ": at most " + maxSummands() + " fit in 2^32");
        }
        double step = 2 * clippingRange / targetRange;
        float[] out = new float[sumMod32.length];
        for (int i = 0; i < out.length; i++) {
            double s = Integer.toUnsignedLong(sumMod32[i]);
            out[i] = (float) (s * step - count * clippingRange);
        }
        return out;
    }

    /**
     * The float sum of {@code count} quantised vectors plus integer noise, read centred: the sum
     * minus {@code count L / 2} as a signed 32-bit value, times the step. Unlike
     * {@link #dequantizeSum} it tolerates noise that pushes the sum below 0 or above
     * {@code count L}, as long as the centred value stays within {@code (-2^31, 2^31)}
     * ({@link #centredHeadroom}); needs an even {@code L}.
     */
    public float[] dequantizeCentred(int[] sumMod32, long count) {
        if (targetRange % 2 != 0) {
            throw new IllegalStateException("centred dequantisation needs an even target range, got " + targetRange);
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        int offset = (int) (count * (targetRange / 2)); // mod 2^32
        double step = step();
        float[] out = new float[sumMod32.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((sumMod32[i] - offset) * step);
        }
        return out;
    }

    /**
     * How far (in steps) noise may move a centred sum of {@code count} vectors before it wraps:
     * {@code 2^31 - 1 - count L / 2}; negative when the sum alone does not fit.
     */
    public long centredHeadroom(long count) {
        return Integer.MAX_VALUE - count * (targetRange / 2);
    }

    /** The quantisation step {@code 2c / L}. */
    public double step() {
        return 2 * clippingRange / targetRange;
    }
}
