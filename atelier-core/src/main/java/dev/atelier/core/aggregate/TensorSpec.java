package dev.atelier.core.aggregate;

import dev.atelier.core.params.DType;
import dev.atelier.core.params.Tensor;
import java.util.Arrays;

/**
 * The dtype and shape of a tensor without its data: what aggregators remember about the first
 * reply so they can check later ones and encode the result, without pinning that reply's bytes.
 *
 * @param dtype element type
 * @param shape dimensions (defensively copied)
 */
public record TensorSpec(DType dtype, long[] shape) {
    public TensorSpec {
        shape = shape.clone();
    }

    public static TensorSpec of(Tensor t) {
        return new TensorSpec(t.dtype(), t.shape());
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long numElements() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** True when {@code t} has this dtype and shape. */
    public boolean matches(Tensor t) {
        return t.dtype() == dtype && Arrays.equals(t.shape(), shape);
    }

    /** A tensor of this spec holding {@code values} (see {@link AggregationMath#encode}). */
    public Tensor encode(float[] values) {
        return AggregationMath.encode(dtype, shape, values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec s && s.dtype == dtype && Arrays.equals(s.shape, shape);
    }

    @Override
    public int hashCode() {
        return 31 * dtype.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
