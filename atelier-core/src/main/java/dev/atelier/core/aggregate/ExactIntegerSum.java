package dev.atelier.core.aggregate;

import dev.atelier.core.params.DType;
import dev.atelier.core.params.Tensor;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Exact weighted sum of integer (I32, I64) tensors, for means that must not pass through float:
 * an I64 counter above 2^24 (float32's exact range) or 2^53 (double's) keeps every unit.
 *
 * <p>Each element is a signed 128-bit accumulator (two longs): a weight times an I64 value needs
 * at most 126 bits, and a sum of such products weighted by a total weight below 2^63 stays below
 * 2^126 in magnitude, so no overflow is possible. {@link #mean} divides by the total weight and
 * rounds half to even, the same rounding the float path uses; a weighted mean of I64 (I32) values
 * always fits I64 (I32). Memory: 16 bytes per element. Not thread-safe (the aggregator locks).
 */
final class ExactIntegerSum {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private final long[] hi;
    private final long[] lo;

    ExactIntegerSum(int elements) {
        hi = new long[elements];
        lo = new long[elements];
    }

    /** {@code sum += weight * x}; x is a little-endian I32 or I64 tensor of this length. */
    void add(ByteBuffer x, DType dtype, long weight) {
        ByteBuffer b = x.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < lo.length; i++) {
            long v = switch (dtype) {
                case I64 -> b.getLong(i * 8);
                case I32 -> b.getInt(i * 4);
                default -> throw new IllegalArgumentException("exact sums take I32 or I64, got " + dtype);
            };
            long pLo = weight * v;
            long pHi = Math.multiplyHigh(weight, v);
            long sum = lo[i] + pLo;
            long carry = Long.compareUnsigned(sum, lo[i]) < 0 ? 1 : 0;
            hi[i] += pHi + carry;
            lo[i] = sum;
        }
    }

    /** The sums divided by {@code totalWeight} (> 0), rounded half to even, as a tensor of {@code spec}. */
    Tensor mean(TensorSpec spec, long totalWeight) {
        if (totalWeight <= 0) {
            throw new IllegalArgumentException("total weight must be > 0, got " + totalWeight);
        }
        DType dtype = spec.dtype();
        ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(lo.length, dtype.byteSize()))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < lo.length; i++) {
            long q = (hi[i] == (lo[i] >> 63)) ? roundedQuotient(lo[i], totalWeight) : wideQuotient(i, totalWeight);
            if (dtype == DType.I64) {
                out.putLong(q);
            } else {
                out.putInt(Math.toIntExact(q));
            }
        }
        out.flip();
        return Tensor.of(dtype, spec.shape(), out);
    }

    /** {@code n / d} rounded half to even, for a sum that fits one long. */
    static long roundedQuotient(long n, long d) {
        long q = n / d;
        long r = n % d; // same sign as n
        long twiceR = Math.abs(r) * 2; // |r| < d < 2^63, so the doubled value may only wrap past 2^63
        int cmp = twiceR < 0 ? 1 : Long.compare(twiceR, d);
        if (cmp > 0 || (cmp == 0 && (q & 1) != 0)) {
            q += n < 0 ? -1 : 1;
        }
        return q;
    }

    private long wideQuotient(int i, long d) {
        BigInteger n = BigInteger.valueOf(hi[i]).multiply(TWO_64).add(new BigInteger(Long.toUnsignedString(lo[i])));
        BigInteger bd = BigInteger.valueOf(d);
        BigInteger[] qr = n.divideAndRemainder(bd);
        BigInteger q = qr[0];
        int cmp = qr[1].abs().shiftLeft(1).compareTo(bd);
        if (cmp > 0 || (cmp == 0 && q.testBit(0))) {
            q = q.add(BigInteger.valueOf(n.signum()));
        }
        return q.longValueExact();
    }
}
