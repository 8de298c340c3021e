package dev.atelier.ml.nn.layers;

import ai.djl.ndarray.NDArray;

/**
 * Adaptive instance normalisation (Huang and Belongie, "Arbitrary Style Transfer in Real-time with
 * Adaptive Instance Normalization", ICCV 2017):
 * {@code AdaIN(x, μ_s, σ_s) = σ_s · IN(x) + μ_s}, where {@link InstanceNorm} removes each example's
 * own channel statistics and the style's channel mean {@code μ_s} and standard deviation
 * {@code σ_s} are put in their place.
 *
 * <p>Shapes: content {@code [B, C, H, W]}; style statistics {@code [C]} (one style for the whole
 * batch, as in FedGAI's AdaIN_SD, whose statistics pool a designer's whole sketch set) or
 * {@code [B, C]} (one per example). Output {@code [B, C, H, W]}: every example's channel {@code c}
 * has mean {@code μ_s[c]} and standard deviation {@code σ_s[c]} over its {@code H·W} positions
 * (up to ε). Stateless, thread-safe.
 */
public final class AdaIN {
    private AdaIN() {}

    /** AdaIN with {@link InstanceNorm#DEFAULT_EPSILON}. */
    public static NDArray apply(NDArray content, NDArray styleMean, NDArray styleStd) {
        return apply(content, styleMean, styleStd, InstanceNorm.DEFAULT_EPSILON);
    }

    /**
     * @param content   {@code [B, C, H, W]}
     * @param styleMean {@code [C]} or {@code [B, C]}
     * @param styleStd  {@code [C]} or {@code [B, C]}, non-negative
     */
    public static NDArray apply(NDArray content, NDArray styleMean, NDArray styleStd, float epsilon) {
        long c = Arrays4d.require4d(content, "AdaIN").get(1);
        long statC = styleMean.getShape().get(styleMean.getShape().dimension() - 1);
        if (statC != c || !styleMean.getShape().equals(styleStd.getShape())) {
            throw new IllegalArgumentException("AdaIN style statistics " + styleMean.getShape() + "/"
                    + styleStd.getShape() + " do not match content channels " + c);
        }
        NDArray normalized = InstanceNorm.normalize(content, epsilon);
        return normalized.mul(Arrays4d.asChannelMap(styleStd, content)).add(Arrays4d.asChannelMap(styleMean, content));
    }
}
