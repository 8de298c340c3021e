package dev.atelier.zo.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The causal-LM families Atelier runs, by their exact Hugging Face {@code model_type}. */
public enum Family {
    /** GPT-2: learned positions, pre-LayerNorm, fused Conv1D q/k/v stored [in, out]. */
    GPT2("gpt2"),
    /** OPT: learned positions offset by 2, pre-LayerNorm only, separate q/k/v with biases. */
    OPT("opt"),
    /** Llama: RoPE, RMSNorm, SwiGLU MLP, grouped-query attention. */
    LLAMA("llama");

    private final String modelType;

    Family(String modelType) {
        this.modelType = modelType;
    }

    /** The {@code model_type} string in config.json. */
    public String modelType() {
        return modelType;
    }

    /** The family for a config's {@code model_type}; anything else is refused with the accepted list. */
    public static Family of(String modelType) {
        for (Family f : values()) {
            if (f.modelType.equals(modelType)) {
                return f;
            }
        }
        throw new CheckpointException("config.json: model_type '" + modelType + "' is not supported (accepted: "
                + Arrays.stream(values()).map(Family::modelType).collect(Collectors.joining(", ")) + ")");
    }
}
