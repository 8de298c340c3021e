package dev.atelier.core.filter;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Refuses a returned parameter set that does not match the one sent: different names, shape or
 * dtype, more bytes than allowed, or any NaN/Inf value. The reason names the first offending
 * tensor so both sides can log it. Stateless and thread-safe.
 */
public final class ValidationFilter implements PayloadFilter {
    private final ParamSet expected;
    private final long maxBytes;

    /**
     * @param expected the specification replies must match (names, order, shapes, dtypes)
     * @param maxBytes payload size limit; at least the expected size
     */
    public ValidationFilter(ParamSet expected, long maxBytes) {
        if (maxBytes < expected.byteSize()) {
            throw new IllegalArgumentException(
                    "maxBytes " + maxBytes + " is below the model size " + expected.byteSize());
        }
        this.expected = expected;
        this.maxBytes = maxBytes;
    }

    public ValidationFilter(ParamSet expected) {
        this(expected, expected.byteSize());
    }

    @Override
    public ParamSet process(ParamSet params) throws RejectedPayloadException {
        if (params.byteSize() > maxBytes) {
            throw new RejectedPayloadException(
                    "payload of " + params.byteSize() + " bytes exceeds the limit of " + maxBytes);
        }
        if (!params.names().equals(expected.names())) {
            var missing = new java.util.LinkedHashSet<>(expected.names());
            missing.removeAll(params.names());
            var extra = new java.util.LinkedHashSet<>(params.names());
            extra.removeAll(expected.names());
            throw new RejectedPayloadException(
                    "parameter names differ from the model: missing " + missing + ", unexpected " + extra);
        }
        for (var e : params.asMap().entrySet()) {
            Tensor want = expected.get(e.getKey());
            Tensor got = e.getValue();
            if (got.dtype() != want.dtype()) {
                throw new RejectedPayloadException(
                        "'" + e.getKey() + "' has dtype " + got.dtype() + ", expected " + want.dtype());
            }
            if (!Arrays.equals(got.shape(), want.shape())) {
                throw new RejectedPayloadException("'" + e.getKey() + "' has shape " + Arrays.toString(got.shape())
                        + ", expected " + Arrays.toString(want.shape()));
            }
            long bad = firstNonFinite(got);
            if (bad >= 0) {
                throw new RejectedPayloadException(
                        "'" + e.getKey() + "' holds a NaN or infinite value at element " + bad);
            }
        }
        return params;
    }

    /** Index of the first NaN/Inf element, or -1. */
    private static long firstNonFinite(Tensor t) {
        if (!t.dtype().isFloating()) {
            return -1;
        }
        if (t.dtype() == dev.atelier.core.params.DType.F32) {
            ByteBuffer b = t.data();
            int n = Math.toIntExact(t.numElements());
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(b.getFloat(i * 4))) {
                    return i;
                }
            }
            return -1;
        }
        float[] v = t.toFloats();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }
}
