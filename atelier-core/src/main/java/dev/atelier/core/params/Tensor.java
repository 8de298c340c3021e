package dev.atelier.core.params;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An immutable n-dimensional array: shape, element type and little-endian bytes.
 *
 * <p>The byte buffer is read-only and little-endian, exactly as stored in safetensors, so tensors
 * move between disk, wire and aggregation without re-encoding. Thread-safe (immutable).
 */
public final class Tensor {
    private final DType dtype;
    private final long[] shape;
    private final ByteBuffer data;

    private Tensor(DType dtype, long[] shape, ByteBuffer data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        long expected = Math.multiplyExact(numElements(shape), (long) dtype.byteSize());
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " and dtype " + dtype
                    + " needs " + expected + " bytes, got " + data.remaining());
        }
        this.data =
                data.slice().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Wraps little-endian bytes (not copied: the caller must not modify them afterwards). */
    public static Tensor of(DType dtype, long[] shape, ByteBuffer littleEndianData) {
        return new Tensor(dtype, shape, littleEndianData);
    }

    /** A float32 tensor holding a copy of {@code values}. */
    public static Tensor f32(long[] shape, float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return new Tensor(DType.F32, shape, buf);
    }

    /** A float32 tensor of the given shape filled with zeros. */
    public static Tensor zeros(long... shape) {
        return new Tensor(DType.F32, shape, ByteBuffer.allocate(Math.toIntExact(numElements(shape) * 4)));
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long numElements() {
        return numElements(shape);
    }

    public long byteSize() {
        return data.remaining();
    }

    /** A read-only little-endian view of the raw bytes. */
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Elements as floats; F16/BF16 are widened, integer types converted. */
    public float[] toFloats() {
        int n = Math.toIntExact(numElements());
        float[] out = new float[n];
        ByteBuffer b = data();
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(b.getShort(i * 2));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
                }
            }
            case I32, I64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = integerAt(b, i);
                }
            }
        }
        return out;
    }

    /** Elements as longs (integer dtypes only). */
    public long[] toLongs() {
        int n = Math.toIntExact(numElements());
        long[] out = new long[n];
        ByteBuffer b = data();
        switch (dtype) {
            case I32, I64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = integerAt(b, i);
                }
            }
            default -> throw new IllegalStateException("toLongs() needs an integer tensor, this one is " + dtype);
        }
        return out;
    }

    /** Element {@code i} of an I32 or I64 tensor's bytes {@code b}. */
    private long integerAt(ByteBuffer b, int i) {
        return dtype == DType.I32 ? b.getInt(i * 4) : b.getLong(i * 8);
    }

    /** True when shape and dtype equal {@code other}'s. */
    public boolean sameSpec(Tensor other) {
        return dtype == other.dtype && Arrays.equals(shape, other.shape);
    }

    static long numElements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && sameSpec(t) && data().equals(t.data());
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + dtype.hashCode();
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + ":" + dtype;
    }
}
