package dev.atelier.zo.model;

/**
 * Element-wise MLP activations, named as in Hugging Face's {@code ACT2FN} table; float32 in and
 * out, computed in double internally.
 */
public enum Activation {
    RELU("relu"),
    /** Exact GELU, x·Φ(x) with the error function. */
    GELU("gelu"),
    /** GELU's tanh approximation (GPT-2's {@code gelu_new}). */
    GELU_NEW("gelu_new"),
    /** The same tanh approximation under PyTorch's name. */
    GELU_PYTORCH_TANH("gelu_pytorch_tanh"),
    /** x·sigmoid(x), also called swish. */
    SILU("silu"),
    SWISH("swish");

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private final String hfName;

    Activation(String hfName) {
        this.hfName = hfName;
    }

    public String hfName() {
        return hfName;
    }

    /** The activation for a config value such as {@code activation_function} or {@code hidden_act}. */
    public static Activation of(String field, String name) {
        for (Activation a : values()) {
            if (a.hfName.equals(name)) {
                return a;
            }
        }
        throw new CheckpointException("config.json: " + field + " '" + name
                + "' is not supported (accepted: relu, gelu, gelu_new, gelu_pytorch_tanh, silu, swish)");
    }

    public float apply(float v) {
        double x = v;
        return (float)
                switch (this) {
                    case RELU -> Math.max(x, 0);
                    case GELU -> 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
                    case GELU_NEW, GELU_PYTORCH_TANH ->
                        0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
                    case SILU, SWISH -> x / (1 + Math.exp(-x));
                };
    }

    /** Applies in place to {@code values[from, to)}. */
    public void applyInPlace(float[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            values[i] = apply(values[i]);
        }
    }
}
