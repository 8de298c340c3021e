package dev.atelier.sketch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.atelier.core.params.ParamSet;

/**
 * The frozen multi-scale encoder of the sketch GAN (the role ImageNet VGG-16 plays in FedGAI): it
 * maps a garment or a sketch to feature maps at several scales, which feed AdaIN_SD and the
 * generator's decoder, the style critic's Gram matrices and the semantic and content losses.
 *
 * <p>Input {@code [B, 1, N, N]} in {@code [-1, 1]}, {@code N} the model's canvas (32 by default; every
 * encoder is fully convolutional). {@link #features} returns one map per scale, finest first,
 * {@code [B, channels()[i], sizes(N)[i], sizes(N)[i]]}, each size half the previous.
 * Frozen: its parameters have no optimizer and require no gradient, and normalisation layers always
 * run in inference mode; gradients still flow <em>through</em> it to its input, so losses computed
 * on generated sketches reach the generator. Owned by the {@link SketchGan} that created it.
 */
public interface SketchEncoder {
    /** Identifier stored in checkpoints, e.g. {@code featurenet}. */
    String kind();

    /** Channels per scale, finest first. */
    int[] channels();

    /** Spatial size per scale on a canvas of {@code canvas} px, finest first (32, 16, 8, 4 at 32 px). */
    default int[] sizes(int canvas) {
        int[] s = new int[channels().length];
        for (int i = 0; i < s.length; i++) {
            s[i] = canvas >> i;
        }
        return s;
    }

    /** Feature maps before each pooling, finest first; see the class comment. */
    NDList features(NDArray x);

    /** Global-average-pooled coarsest map, {@code [B, channels()[last]]}: the semantic embedding. */
    default NDArray embedding(NDList features) {
        NDArray last = features.get(features.size() - 1);
        return last.reshape(last.getShape().get(0), last.getShape().get(1), -1).mean(new int[] {2});
    }

    /** The encoder's weights under the prefix {@value SketchGan#ENCODER}, for self-contained checkpoints. */
    ParamSet parameters();
}
