package dev.atelier.sketch.model;

import ai.djl.ndarray.NDManager;
import dev.atelier.core.params.ParamSet;

/** Rebuilds an encoder of a known kind from checkpoint weights (prefix {@value SketchGan#ENCODER}). */
public final class SketchEncoders {
    private SketchEncoders() {}

    public static SketchEncoder fromCheckpoint(NDManager manager, String kind, ParamSet params) {
        return switch (kind) {
            case FeatureNetEncoder.KIND -> new FeatureNetEncoder(manager, params, SketchGan.ENCODER);
            case VggEncoder.KIND -> VggEncoder.fromCheckpoint(manager, params);
            default ->
                throw new IllegalArgumentException("unknown encoder kind '" + kind + "' (known: "
                        + FeatureNetEncoder.KIND + ", " + VggEncoder.KIND + ")");
        };
    }
}
