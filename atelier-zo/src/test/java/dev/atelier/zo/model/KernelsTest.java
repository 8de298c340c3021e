package dev.atelier.zo.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelsTest {
    @FunctionalInterface
    interface Matmul {
        void run(float[] x, int rows, int in, float[] w, float[] y, int out, int from, int to);
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static float[] transpose(float[] outIn, int out, int in) {
        float[] t = new float[in * out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[i * out + o] = outIn[o * in + i];
            }
        }
        return t;
    }

    /** surefire runs atelier-zo with --add-modules jdk.incubator.vector, so both kernel sets are tested. */
    @Test
    void vectorKernelsAreActiveInTheseTests() {
        assertThat(Kernels.VECTOR).isTrue();
    }

    /**
     * Scalar and vector kernels, both layouts, agree with a double-precision product on sizes that
     * leave tile and lane remainders; the two scalar layouts agree bit for bit.
     */
    @Test
    void matmulsMatchADoublePrecisionProduct() {
        int rows = 7, in = 29, out = 37;
        float[] x = random(rows * in, 1);
        float[] w = random(out * in, 2);
        float[] wt = transpose(w, out, in);
        Matmul[] outIn = {Kernels::scalarMatmulOutIn, VectorKernels::matmulOutIn};
        Matmul[] inOut = {Kernels::scalarMatmulInOut, VectorKernels::matmulInOut};
        float[][] results = new float[4][];
        for (int k = 0; k < 2; k++) {
            results[2 * k] = new float[rows * out];
            results[2 * k + 1] = new float[rows * out];
            outIn[k].run(x, rows, in, w, results[2 * k], out, 0, out);
            inOut[k].run(x, rows, in, wt, results[2 * k + 1], out, 0, out);
        }
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = 0;
                for (int i = 0; i < in; i++) {
                    s += (double) x[r * in + i] * w[o * in + i];
                }
                for (float[] y : results) {
                    assertThat((double) y[r * out + o]).isCloseTo(s, org.assertj.core.data.Offset.offset(1e-5));
                }
            }
        }
        assertThat(results[1]).containsExactly(results[0]);
    }

    /** Splitting the output columns at chunk-aligned cuts (as parallelFor does) changes no bit. */
    @Test
    void resultsDoNotDependOnHowColumnsAreSplit() {
        int rows = 9, in = 40, out = 200;
        int[] cuts = {0, Kernels.CHUNK_ALIGN, 2 * Kernels.CHUNK_ALIGN, out};
        float[] x = random(rows * in, 3);
        float[] w = random(out * in, 4);
        float[] wt = transpose(w, out, in);
        for (Matmul m : new Matmul[] {Kernels::scalarMatmulOutIn, VectorKernels::matmulOutIn}) {
            assertSplitInvariant(m, x, rows, in, w, out, cuts);
        }
        for (Matmul m : new Matmul[] {Kernels::scalarMatmulInOut, VectorKernels::matmulInOut}) {
            assertSplitInvariant(m, x, rows, in, wt, out, cuts);
        }
        // the scalar kernels do not even need aligned cuts
        assertSplitInvariant(Kernels::scalarMatmulOutIn, x, rows, in, w, out, new int[] {0, 3, 4, 17, 130, out});
        assertSplitInvariant(Kernels::scalarMatmulInOut, x, rows, in, wt, out, new int[] {0, 3, 4, 17, 130, out});
    }

    private static void assertSplitInvariant(Matmul m, float[] x, int rows, int in, float[] w, int out, int[] cuts) {
        float[] whole = new float[rows * out];
        m.run(x, rows, in, w, whole, out, 0, out);
        float[] split = new float[rows * out];
        for (int c = 0; c + 1 < cuts.length; c++) {
            m.run(x, rows, in, w, split, out, cuts[c], cuts[c + 1]);
        }
        assertThat(split).containsExactly(whole);
    }
}
