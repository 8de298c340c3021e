package dev.atelier.core.aggregate;

import dev.atelier.core.params.DType;
import dev.atelier.core.params.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/** Plain array kernels shared by the aggregators and server optimizers (no state, no I/O). */
public final class AggregationMath {
    private AggregationMath() {}

    /**
     * {@code acc += w * x} where x is the little-endian tensor data. Integer elements are read as
     * integers (exact in double up to 2^53), not through float; exact integer means use
     * {@link WeightedMeanAggregator}'s 128-bit sums instead.
     */
    public static void addScaled(double[] acc, ByteBuffer x, DType dtype, double w) {
        ByteBuffer le = x.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> {
                FloatBuffer f = le.asFloatBuffer();
                for (int i = 0; i < acc.length; i++) {
                    acc[i] += w * f.get(i);
                }
                return;
            }
            case I32 -> {
                for (int i = 0; i < acc.length; i++) {
                    acc[i] += w * le.getInt(i * 4);
                }
                return;
            }
            case I64 -> {
                for (int i = 0; i < acc.length; i++) {
                    acc[i] += w * (double) le.getLong(i * 8);
                }
                return;
            }
            default -> {
                // F16, BF16: widen through float, which holds them exactly
            }
        }
        float[] v = Tensor.of(dtype, new long[] {acc.length}, x).toFloats();
        for (int i = 0; i < acc.length; i++) {
            acc[i] += w * v[i];
        }
    }

    /** {@code (float) (scale * acc[i])}. */
    public static float[] scaledCopy(double[] acc, double scale) {
        float[] out = new float[acc.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (acc[i] * scale);
        }
        return out;
    }

    /** {@code acc += w * x} for a float vector as long as {@code acc}. */
    public static void addScaled(double[] acc, float[] x, double w) {
        if (x.length != acc.length) {
            throw new IllegalArgumentException(
                    "vector of length " + x.length + " added to a sum of length " + acc.length);
        }
        for (int i = 0; i < acc.length; i++) {
            acc[i] += w * x[i];
        }
    }

    /**
     * The weighted mean {@code sum_i w_i v_i / sum_i w_i} of equally long vectors, accumulated in
     * double with {@link #addScaled(double[], float[], double)} and rounded once to float (the
     * kernels the streaming {@link WeightedMeanAggregator} uses). This is the one weighted mean of
     * vectors: style cards, Multi-Krum's selection and the aggregators all use it.
     *
     * @param weights one per vector, each finite and {@code >= 0}, with a positive sum
     * @throws IllegalArgumentException for no vectors, unequal lengths or invalid weights
     */
    public static float[] weightedMean(List<float[]> vectors, double[] weights) {
        double total = totalWeight(vectors.size(), weights);
        double[] acc = new double[vectors.get(0).length];
        for (int i = 0; i < weights.length; i++) {
            addScaled(acc, vectors.get(i), weights[i]);
        }
        return scaledCopy(acc, 1.0 / total);
    }

    /**
     * The weighted mean {@code sum_i w_i x_i / sum_i w_i} of scalars, in double; the scalar form
     * of {@link #weightedMean(List, double[])} with the same weight rules.
     */
    public static double weightedMean(double[] values, double[] weights) {
        double total = totalWeight(values.length, weights);
        double s = 0;
        for (int i = 0; i < values.length; i++) {
            s += weights[i] * values[i];
        }
        return s / total;
    }

    /** The sum of {@code n} valid weights; the one weight check of both weighted means. */
    private static double totalWeight(int n, double[] weights) {
        if (n == 0) {
            throw new IllegalArgumentException("no values to average");
        }
        if (weights.length != n) {
            throw new IllegalArgumentException(weights.length + " weights for " + n + " values");
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("weight " + i + " must be finite and >= 0, got " + weights[i]);
            }
            total += weights[i];
        }
        if (!(total > 0) || Double.isInfinite(total)) {
            throw new IllegalArgumentException("weights sum to " + total + ", need a finite positive sum");
        }
        return total;
    }

    /** Squared Euclidean distance between two equally long vectors. */
    public static double squaredDistance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    /**
     * Encodes aggregated values back into {@code dtype}, so an aggregate has the same spec as the
     * model it came from (a half-precision or integer tensor must not silently become F32, or the
     * next round's validation would reject every reply). F16 and BF16 round to nearest-even;
     * integer types round half-even and saturate at the type's range.
     *
     * @param shape  the tensor shape; its element count must equal {@code values.length}
     * @param values element values in row-major order
     */
    public static Tensor encode(DType dtype, long[] shape, float[] values) {
        if (dtype == DType.F32) {
            return Tensor.f32(shape, values);
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.multiplyExact(values.length, dtype.byteSize()))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            switch (dtype) {
                case F16 -> buf.putShort(Float.floatToFloat16(v));
                case BF16 -> buf.putShort(toBFloat16(v));
                case I32 -> buf.putInt((int) Math.rint(v));
                case I64 -> buf.putLong((long) Math.rint(v));
                default -> throw new IllegalStateException("unhandled dtype " + dtype);
            }
        }
        buf.flip();
        return Tensor.of(dtype, shape, buf);
    }

    /** bfloat16 bits of {@code v}: the top half of the float32 bits, rounded to nearest-even. */
    static short toBFloat16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x0040); // keep it a (quiet) NaN after truncation
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
