package dev.atelier.core.aggregate;

import dev.atelier.core.params.DType;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/** Plain array kernels shared by the aggregators (no state, no I/O). */
public final class AggregationMath {
    private AggregationMath() {
    }

    /** {@code acc += w * x} where x is the little-endian tensor data. */
    public static void addScaled(double[] acc, ByteBuffer x, DType dtype, double w) {
        if (dtype == DType.F32) {
            FloatBuffer f = x.asFloatBuffer();
            for (int i = 0; i < acc.length; i++) {
                acc[i] += w * f.get(i);
            }
            return;
        }
        float[] v = dev.atelier.core.params.Tensor.of(dtype, new long[] {acc.length}, x).toFloats();
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

    /** Squared Euclidean distance between two equally long vectors. */
    public static double squaredDistance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }
}
