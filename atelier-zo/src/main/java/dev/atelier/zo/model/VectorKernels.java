package dev.atelier.zo.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels}' matrix products on the JDK Vector API (incubating; used only when the JVM runs
 * with {@code --add-modules jdk.incubator.vector}, see {@link Kernels#VECTOR}). Register-blocked:
 * 4 rows × 2 vectors of accumulators, fused multiply-adds. Each output element is computed by the
 * same arithmetic whatever tile, tail or column chunk it falls in (chunks start at multiples of
 * {@link Kernels#CHUNK_ALIGN}), so results do not depend on the thread count; they differ from the
 * scalar kernels by float rounding (fused multiply-add, lane-wise sums). Stateless.
 */
final class VectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorKernels() {}

    /** Lane width in floats (8 with AVX2). */
    static int lanes() {
        return L;
    }

    /** As {@link Kernels#matmulOutIn}: weight [out, in]; dot products along the input. */
    static void matmulOutIn(float[] x, int rows, int in, float[] w, float[] y, int out, int from, int to) {
        int o = from;
        for (; o + 2 <= to; o += 2) {
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                dot4x2(x, r * in, in, w, o * in, y, r * out + o, out);
            }
            for (; r < rows; r++) {
                y[r * out + o] = dot(x, r * in, w, o * in, in);
                y[r * out + o + 1] = dot(x, r * in, w, (o + 1) * in, in);
            }
        }
        for (; o < to; o++) {
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                dot4(x, r * in, in, w, o * in, y, r * out + o, out);
            }
            for (; r < rows; r++) {
                y[r * out + o] = dot(x, r * in, w, o * in, in);
            }
        }
    }

    /** Four rows x0.. (stride in) against weight rows wo and wo + in: y[yo + k·out + j], k < 4, j < 2. */
    private static void dot4x2(float[] x, int x0, int in, float[] w, int wo, float[] y, int yo, int out) {
        int bound = S.loopBound(in);
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
        FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S);
        FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
        int w1 = wo + in;
        for (int i = 0; i < bound; i += L) {
            FloatVector u = FloatVector.fromArray(S, w, wo + i);
            FloatVector v = FloatVector.fromArray(S, w, w1 + i);
            FloatVector b0 = FloatVector.fromArray(S, x, x0 + i);
            FloatVector b1 = FloatVector.fromArray(S, x, x0 + in + i);
            FloatVector b2 = FloatVector.fromArray(S, x, x0 + 2 * in + i);
            FloatVector b3 = FloatVector.fromArray(S, x, x0 + 3 * in + i);
            a00 = b0.fma(u, a00);
            a01 = b0.fma(v, a01);
            a10 = b1.fma(u, a10);
            a11 = b1.fma(v, a11);
            a20 = b2.fma(u, a20);
            a21 = b2.fma(v, a21);
            a30 = b3.fma(u, a30);
            a31 = b3.fma(v, a31);
        }
        y[yo] = tail(sum(a00), x, x0, w, wo, bound, in);
        y[yo + 1] = tail(sum(a01), x, x0, w, w1, bound, in);
        y[yo + out] = tail(sum(a10), x, x0 + in, w, wo, bound, in);
        y[yo + out + 1] = tail(sum(a11), x, x0 + in, w, w1, bound, in);
        y[yo + 2 * out] = tail(sum(a20), x, x0 + 2 * in, w, wo, bound, in);
        y[yo + 2 * out + 1] = tail(sum(a21), x, x0 + 2 * in, w, w1, bound, in);
        y[yo + 3 * out] = tail(sum(a30), x, x0 + 3 * in, w, wo, bound, in);
        y[yo + 3 * out + 1] = tail(sum(a31), x, x0 + 3 * in, w, w1, bound, in);
    }

    /** Four rows x0.. (stride in) against one weight row: y[yo + k·out] for k < 4. */
    private static void dot4(float[] x, int x0, int in, float[] w, int wo, float[] y, int yo, int out) {
        int bound = S.loopBound(in);
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            FloatVector wv = FloatVector.fromArray(S, w, wo + i);
            a0 = FloatVector.fromArray(S, x, x0 + i).fma(wv, a0);
            a1 = FloatVector.fromArray(S, x, x0 + in + i).fma(wv, a1);
            a2 = FloatVector.fromArray(S, x, x0 + 2 * in + i).fma(wv, a2);
            a3 = FloatVector.fromArray(S, x, x0 + 3 * in + i).fma(wv, a3);
        }
        y[yo] = tail(sum(a0), x, x0, w, wo, bound, in);
        y[yo + out] = tail(sum(a1), x, x0 + in, w, wo, bound, in);
        y[yo + 2 * out] = tail(sum(a2), x, x0 + 2 * in, w, wo, bound, in);
        y[yo + 3 * out] = tail(sum(a3), x, x0 + 3 * in, w, wo, bound, in);
    }

    /** One row against one weight row, the same arithmetic as each lane of {@link #dot4}. */
    private static float dot(float[] x, int xo, float[] w, int wo, int in) {
        int bound = S.loopBound(in);
        FloatVector a = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            a = FloatVector.fromArray(S, x, xo + i).fma(FloatVector.fromArray(S, w, wo + i), a);
        }
        return tail(sum(a), x, xo, w, wo, bound, in);
    }

    /**
     * The lanes of {@code v} added in lane order. Not {@code reduceLanes(ADD)}: its order is
     * unspecified and differs between the JIT's intrinsic and the interpreter, which would make
     * results depend on JIT warm-up.
     */
    private static float sum(FloatVector v) {
        float s = 0;
        for (int i = 0; i < L; i++) {
            s += v.lane(i);
        }
        return s;
    }

    /** Adds the scalar tail i in [bound, in) in order to the lane sum {@code s}. */
    private static float tail(float s, float[] x, int xo, float[] w, int wo, int bound, int in) {
        for (int i = bound; i < in; i++) {
            s = Math.fma(x[xo + i], w[wo + i], s);
        }
        return s;
    }

    /** As {@link Kernels#matmulInOut}: weight [in, out]; accumulators along the output. */
    static void matmulInOut(float[] x, int rows, int in, float[] w, float[] y, int out, int from, int to) {
        int c = from;
        for (; c + 2 * L <= to; c += 2 * L) {
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
                FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
                FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S);
                FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
                int x0 = r * in;
                for (int i = 0; i < in; i++) {
                    FloatVector w0 = FloatVector.fromArray(S, w, i * out + c);
                    FloatVector w1 = FloatVector.fromArray(S, w, i * out + c + L);
                    FloatVector b0 = FloatVector.broadcast(S, x[x0 + i]);
                    FloatVector b1 = FloatVector.broadcast(S, x[x0 + in + i]);
                    FloatVector b2 = FloatVector.broadcast(S, x[x0 + 2 * in + i]);
                    FloatVector b3 = FloatVector.broadcast(S, x[x0 + 3 * in + i]);
                    a00 = b0.fma(w0, a00);
                    a01 = b0.fma(w1, a01);
                    a10 = b1.fma(w0, a10);
                    a11 = b1.fma(w1, a11);
                    a20 = b2.fma(w0, a20);
                    a21 = b2.fma(w1, a21);
                    a30 = b3.fma(w0, a30);
                    a31 = b3.fma(w1, a31);
                }
                a00.intoArray(y, r * out + c);
                a01.intoArray(y, r * out + c + L);
                a10.intoArray(y, (r + 1) * out + c);
                a11.intoArray(y, (r + 1) * out + c + L);
                a20.intoArray(y, (r + 2) * out + c);
                a21.intoArray(y, (r + 2) * out + c + L);
                a30.intoArray(y, (r + 3) * out + c);
                a31.intoArray(y, (r + 3) * out + c + L);
            }
            for (; r < rows; r++) {
                FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
                for (int i = 0; i < in; i++) {
                    FloatVector b = FloatVector.broadcast(S, x[r * in + i]);
                    a0 = b.fma(FloatVector.fromArray(S, w, i * out + c), a0);
                    a1 = b.fma(FloatVector.fromArray(S, w, i * out + c + L), a1);
                }
                a0.intoArray(y, r * out + c);
                a1.intoArray(y, r * out + c + L);
            }
        }
        // tail columns: the same fused sum over i, one element at a time
        for (; c < to; c++) {
            for (int r = 0; r < rows; r++) {
                float s = 0;
                for (int i = 0; i < in; i++) {
                    s = Math.fma(x[r * in + i], w[i * out + c], s);
                }
                y[r * out + c] = s;
            }
        }
    }
}
