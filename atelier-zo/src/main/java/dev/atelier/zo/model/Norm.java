package dev.atelier.zo.model;

import java.util.List;

/**
 * Per-row normalisation over the hidden channels: LayerNorm ((x − mean)/√(var + eps)·w + b,
 * biased variance; GPT-2, OPT) or RMSNorm (x/√(mean(x²) + eps)·w; Llama). Statistics in double,
 * output float32.
 */
final class Norm {
    enum Kind {
        LAYER,
        RMS
    }

    private final Kind kind;
    private final Param weight;
    private final Param bias;
    private final double eps;

    /** {@code bias} is null for RMSNorm. */
    Norm(Kind kind, Param weight, Param bias, double eps) {
        if ((kind == Kind.RMS) != (bias == null)) {
            throw new IllegalArgumentException(kind + " norm " + weight.name() + ": bias presence mismatch");
        }
        this.kind = kind;
        this.weight = weight;
        this.bias = bias;
        this.eps = eps;
    }

    List<Param> params() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    /** {@code x} is [rows, n]; returns a new normalised [rows, n]. */
    float[] forward(float[] x, int rows) {
        float[] w = weight.values();
        int n = w.length;
        float[] y = new float[rows * n];
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            double mean = 0;
            if (kind == Kind.LAYER) {
                for (int i = 0; i < n; i++) {
                    mean += x[o + i];
                }
                mean /= n;
            }
            double ss = 0;
            for (int i = 0; i < n; i++) {
                double d = x[o + i] - mean;
                ss += d * d;
            }
            double inv = 1 / Math.sqrt(ss / n + eps);
            if (kind == Kind.LAYER) {
                float[] b = bias.values();
                for (int i = 0; i < n; i++) {
                    y[o + i] = (float) ((x[o + i] - mean) * inv) * w[i] + b[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    y[o + i] = w[i] * (float) (x[o + i] * inv);
                }
            }
        }
        return y;
    }
}
