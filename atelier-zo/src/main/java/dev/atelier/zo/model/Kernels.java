package dev.atelier.zo.model;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The inner loops of the forward pass, float32. Matrix products are split over output columns
 * between the threads of {@link #pool()} and tiled so each weight value loaded serves several
 * rows. They run on {@link VectorKernels} when the JVM has the Vector API ({@link #VECTOR}), else
 * on the scalar kernels here, which sum every output element in input-index order with one
 * accumulator (Java never fuses multiply-adds, so the scalar results are the same on every JVM).
 * Either way an element's arithmetic does not depend on the tile or column chunk it falls in, so
 * results are bit-identical for any thread count. {@link #dot} (attention scores) keeps eight
 * partial sums so the JIT can pipeline it. Stateless.
 */
final class Kernels {
    /** Below this many multiply-adds per column block a product stays on the calling thread. */
    private static final long MIN_PARALLEL_WORK = 1 << 18;

    private static final ForkJoinPool POOL = new ForkJoinPool(threads());

    /**
     * True when the JVM has {@code jdk.incubator.vector} (run with {@code --add-modules
     * jdk.incubator.vector}) and {@code -Datelier.zo.vector=false} is not set: matrix products then
     * run in {@link VectorKernels}.
     */
    static final boolean VECTOR =
            ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                    && !"false".equals(System.getProperty("atelier.zo.vector"));

    /** Column chunks handed to threads start at multiples of this (whole vector tiles). */
    static final int CHUNK_ALIGN = 64;

    private Kernels() {}

    /**
     * Threads for one forward: {@code -Datelier.zo.threads=N} if set, else the available
     * processors.
     */
    static int threads() {
        String s = System.getProperty("atelier.zo.threads");
        int n = s == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(s.strip());
        return Math.max(1, Math.min(n, 256));
    }

    static ForkJoinPool pool() {
        return POOL;
    }

    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over [0, n) in contiguous chunks, in parallel when {@code workPerItem}·n
     * is large enough to pay for it.
     */
    static void parallelFor(int n, long workPerItem, Range body) {
        int threads = POOL.getParallelism();
        if (threads == 1 || workPerItem * n < 2 * MIN_PARALLEL_WORK || n < 2 * threads) {
            body.run(0, n);
            return;
        }
        int chunks = threads * 2;
        POOL.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                RecursiveAction[] parts = new RecursiveAction[chunks];
                for (int c = 0; c < chunks; c++) {
                    int from = aligned((long) n * c / chunks, n);
                    int to = aligned((long) n * (c + 1) / chunks, n);
                    parts[c] = new RecursiveAction() {
                        @Override
                        protected void compute() {
                            body.run(from, to);
                        }
                    };
                }
                invokeAll(parts);
            }
        });
    }

    private static int aligned(long i, int n) {
        return (int) Math.min(n, (i + CHUNK_ALIGN - 1) / CHUNK_ALIGN * CHUNK_ALIGN);
    }

    /**
     * y[r, o] = Σ_i x[r, i]·w[o, i] for o in [from, to): weight [out, in] (torch Linear). Tiles of
     * 4 rows × 2 outputs share each load.
     */
    static void matmulOutIn(float[] x, int rows, int in, float[] w, float[] y, int out, int from, int to) {
        if (VECTOR) {
            VectorKernels.matmulOutIn(x, rows, in, w, y, out, from, to);
        } else {
            scalarMatmulOutIn(x, rows, in, w, y, out, from, to);
        }
    }

    static void scalarMatmulOutIn(float[] x, int rows, int in, float[] w, float[] y, int out, int from, int to) {
        int o = from;
        for (; o + 2 <= to; o += 2) {
            int w0 = o * in;
            int w1 = w0 + in;
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                int x0 = r * in;
                int x1 = x0 + in;
                int x2 = x1 + in;
                int x3 = x2 + in;
                float a00 = 0, a01 = 0, a10 = 0, a11 = 0, a20 = 0, a21 = 0, a30 = 0, a31 = 0;
                for (int i = 0; i < in; i++) {
                    float u = w[w0 + i];
                    float v = w[w1 + i];
                    float b0 = x[x0 + i];
                    float b1 = x[x1 + i];
                    float b2 = x[x2 + i];
                    float b3 = x[x3 + i];
                    a00 += b0 * u;
                    a01 += b0 * v;
                    a10 += b1 * u;
                    a11 += b1 * v;
                    a20 += b2 * u;
                    a21 += b2 * v;
                    a30 += b3 * u;
                    a31 += b3 * v;
                }
                y[r * out + o] = a00;
                y[r * out + o + 1] = a01;
                y[(r + 1) * out + o] = a10;
                y[(r + 1) * out + o + 1] = a11;
                y[(r + 2) * out + o] = a20;
                y[(r + 2) * out + o + 1] = a21;
                y[(r + 3) * out + o] = a30;
                y[(r + 3) * out + o + 1] = a31;
            }
            for (; r < rows; r++) {
                y[r * out + o] = sequentialDot(x, r * in, w, w0, in);
                y[r * out + o + 1] = sequentialDot(x, r * in, w, w1, in);
            }
        }
        for (; o < to; o++) {
            for (int r = 0; r < rows; r++) {
                y[r * out + o] = sequentialDot(x, r * in, w, o * in, in);
            }
        }
    }

    /**
     * y[r, o] = Σ_i x[r, i]·w[i, o] for o in [from, to): weight [in, out] (GPT-2 Conv1D). Blocks of
     * 256 columns; four rows share each weight load; the column loop is what the JIT vectorises.
     */
    static void matmulInOut(float[] x, int rows, int in, float[] w, float[] y, int out, int from, int to) {
        if (VECTOR) {
            VectorKernels.matmulInOut(x, rows, in, w, y, out, from, to);
        } else {
            scalarMatmulInOut(x, rows, in, w, y, out, from, to);
        }
    }

    static void scalarMatmulInOut(float[] x, int rows, int in, float[] w, float[] y, int out, int from, int to) {
        for (int c0 = from; c0 < to; c0 += 256) {
            int n = Math.min(256, to - c0);
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                int y0 = r * out + c0;
                int y1 = y0 + out;
                int y2 = y1 + out;
                int y3 = y2 + out;
                for (int i = 0; i < in; i++) {
                    float b0 = x[r * in + i];
                    float b1 = x[(r + 1) * in + i];
                    float b2 = x[(r + 2) * in + i];
                    float b3 = x[(r + 3) * in + i];
                    int wi = i * out + c0;
                    for (int j = 0; j < n; j++) {
                        float u = w[wi + j];
                        y[y0 + j] += b0 * u;
                        y[y1 + j] += b1 * u;
                        y[y2 + j] += b2 * u;
                        y[y3 + j] += b3 * u;
                    }
                }
            }
            for (; r < rows; r++) {
                for (int i = 0; i < in; i++) {
                    axpy(x[r * in + i], w, i * out + c0, y, r * out + c0, n);
                }
            }
        }
    }

    /** Σ a[ao + i]·b[bo + i] summed in index order with one accumulator, as the matmul tiles do. */
    static float sequentialDot(float[] a, int ao, float[] b, int bo, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /** Σ a[ao + i]·b[bo + i] for i in [0, n), eight partial sums. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
            s4 += a[ao + i + 4] * b[bo + i + 4];
            s5 += a[ao + i + 5] * b[bo + i + 5];
            s6 += a[ao + i + 6] * b[bo + i + 6];
            s7 += a[ao + i + 7] * b[bo + i + 7];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** y[yo + i] += alpha·x[xo + i] for i in [0, n). */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }
}
