package dev.atelier.zo.model;

import java.util.List;

/**
 * y = x·Wᵀ + b over a batch of rows, float32. The weight keeps its checkpoint layout:
 * {@link Layout#OUT_IN} is {@code torch.nn.Linear} ([out, in]), {@link Layout#IN_OUT} is GPT-2's
 * {@code Conv1D} ([in, out]); both compute the same function. The bias may be absent. Reads its
 * arrays only, so concurrent forwards are safe while nobody writes the parameters.
 */
final class Linear {
    enum Layout {
        OUT_IN,
        IN_OUT
    }

    private final Param weight;
    private final Param bias;
    private final int in;
    private final int out;
    private final Layout layout;

    /** {@code bias} may be null. */
    Linear(Param weight, Param bias, int in, int out, Layout layout) {
        this.weight = weight;
        this.bias = bias;
        this.in = in;
        this.out = out;
        this.layout = layout;
    }

    int in() {
        return in;
    }

    int out() {
        return out;
    }

    /** True when row o of the weight is output o's vector ([out, in], {@link Layout#OUT_IN}). */
    boolean rowPerOutput() {
        return layout == Layout.OUT_IN;
    }

    Param weight() {
        return weight;
    }

    /**
     * Outputs {@code outputs} alone of {@link #forward} for one row {@code x} ([in]), each by the
     * same kernel call on its own output range, so each equals forward's value for it. Needs
     * {@link Layout#OUT_IN} (a row per output).
     */
    float[] forwardOutputs(float[] x, int[] outputs) {
        if (layout != Layout.OUT_IN) {
            throw new IllegalStateException("selected outputs need an [out, in] weight");
        }
        float[] y = new float[out];
        float[] w = weight.values();
        float[] picked = new float[outputs.length];
        for (int k = 0; k < outputs.length; k++) {
            int o = outputs[k];
            Kernels.matmulOutIn(x, 1, in, w, y, out, o, o + 1);
            picked[k] = bias == null ? y[o] : y[o] + bias.values()[o];
        }
        return picked;
    }

    /** The weight, then the bias when present. */
    List<Param> params() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    /** {@code x} is [rows, in] row-major; returns [rows, out]. */
    float[] forward(float[] x, int rows) {
        float[] y = new float[rows * out];
        float[] w = weight.values();
        if (layout == Layout.OUT_IN) {
            Kernels.parallelFor(
                    out, (long) rows * in, (from, to) -> Kernels.matmulOutIn(x, rows, in, w, y, out, from, to));
        } else {
            Kernels.parallelFor(
                    out, (long) rows * in, (from, to) -> Kernels.matmulInOut(x, rows, in, w, y, out, from, to));
        }
        if (bias != null) {
            float[] b = bias.values();
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    y[r * out + o] += b[o];
                }
            }
        }
        return y;
    }
}
