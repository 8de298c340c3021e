package dev.atelier.zo.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelsTest {
    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** Both weight layouts agree with a double-precision product, on sizes that leave tile remainders. */
    @Test
    void matmulsMatchADoublePrecisionProduct() {
        int rows = 7, in = 13, out = 11;
        float[] x = random(rows * in, 1);
        float[] wOutIn = random(out * in, 2);
        float[] wInOut = new float[in * out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                wInOut[i * out + o] = wOutIn[o * in + i];
            }
        }
        float[] a = new float[rows * out];
        float[] b = new float[rows * out];
        Kernels.matmulOutIn(x, rows, in, wOutIn, a, out, 0, out);
        Kernels.matmulInOut(x, rows, in, wInOut, b, out, 0, out);
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = 0;
                for (int i = 0; i < in; i++) {
                    s += (double) x[r * in + i] * wOutIn[o * in + i];
                }
                assertThat((double) a[r * out + o]).isCloseTo(s, org.assertj.core.data.Offset.offset(1e-5));
                assertThat(b[r * out + o]).isEqualTo(a[r * out + o]);
            }
        }
    }

    /** Any split of the output columns (as threads make) gives bit-identical results. */
    @Test
    void resultsDoNotDependOnHowColumnsAreSplit() {
        int rows = 9, in = 40, out = 37;
        float[] x = random(rows * in, 3);
        float[] w = random(out * in, 4);
        float[] whole = new float[rows * out];
        Kernels.matmulOutIn(x, rows, in, w, whole, out, 0, out);
        float[] split = new float[rows * out];
        int[] cuts = {0, 3, 4, 17, 30, 37};
        for (int c = 0; c + 1 < cuts.length; c++) {
            Kernels.matmulOutIn(x, rows, in, w, split, out, cuts[c], cuts[c + 1]);
        }
        assertThat(split).containsExactly(whole);
        float[] wide = new float[rows * out];
        float[] wideSplit = new float[rows * out];
        Kernels.matmulInOut(x, rows, in, random(in * out, 5), wide, out, 0, out);
        for (int c = 0; c + 1 < cuts.length; c++) {
            Kernels.matmulInOut(x, rows, in, random(in * out, 5), wideSplit, out, cuts[c], cuts[c + 1]);
        }
        assertThat(wideSplit).containsExactly(wide);
    }
}
