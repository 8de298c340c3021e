package dev.atelier.sketch.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What a multi-resolution decoder produced for one batch: its per-scale outputs and the sketch.
 *
 * @param features decoder outputs per scale, coarsest first: {@code d_K [B, W_K, S_K, S_K]}, ...,
 *                 {@code d_1 [B, W_1, 32, 32]} (for the default encoder sizes 4, 8, 16, 32)
 * @param sketch   {@code tanh(out(d_1))}, {@code [B, 1, 32, 32]} in {@code [-1, 1]}
 */
public record DecoderOutputs(List<NDArray> features, NDArray sketch) {
    public DecoderOutputs {
        features = List.copyOf(features);
    }

    /** Number of decoder scales {@code K}. */
    public int scales() {
        return features.size();
    }
}
