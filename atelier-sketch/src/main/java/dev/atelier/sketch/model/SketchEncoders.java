package dev.atelier.sketch.model;

import ai.djl.ndarray.NDManager;
import dev.atelier.core.params.ParamSet;
import java.util.function.Function;

/** Builds encoders from weights: checkpoint tensors (prefix {@value SketchGan#ENCODER}) or a user's file. */
public final class SketchEncoders {
    /** Blocks of VGG-16 used when a torchvision file is given: all four the encoder supports (to relu4_3). */
    public static final int VGG_BLOCKS = 4;

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

    /** Whether {@code params} hold a public feature network (FeatureNet under the prefix {@code net}). */
    public static boolean isFeatureNet(ParamSet params) {
        return params.contains("net.head.weight");
    }

    /** Whether {@code params} look like torchvision's {@code vgg16().features} ({@code features.0.weight}). */
    public static boolean isTorchvisionVgg(ParamSet params) {
        return params.contains("features.0.weight");
    }

    /**
     * The encoder a fresh model gets from a user-supplied weight set: a public feature network
     * (prefix {@code net}) or a torchvision VGG-16 state dict ({@code features.N.weight/bias}; its
     * first {@value #VGG_BLOCKS} blocks).
     *
     * @throws IllegalArgumentException when the weights are neither, saying what is expected
     */
    public static Function<NDManager, SketchEncoder> factory(ParamSet params, String source) {
        if (isFeatureNet(params)) {
            return m -> new FeatureNetEncoder(m, params, "net");
        }
        if (isTorchvisionVgg(params)) {
            return m -> VggEncoder.of(m, params, VGG_BLOCKS, source);
        }
        throw new IllegalArgumentException(source + " is neither a public feature network ('net.head.weight') nor a"
                + " torchvision VGG-16 state dict ('features.0.weight' ...); pass the file PublicFeatureNetwork caches"
                + " (~/.atelier/cache/public-feature-net-*.safetensors) or torchvision's vgg16().state_dict() as"
                + " safetensors");
    }
}
