package dev.atelier.sketch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.atelier.ml.nn.layers.InstanceNorm;
import dev.atelier.sketch.model.GramMatrix;
import dev.atelier.sketch.model.SketchGan;
import java.util.List;

/**
 * The constants a training step needs from the frozen encoder for a batch of real garments
 * {@code x} and reference sketches {@code y}: they do not depend on any trained weight, so they can
 * be computed once per designer ({@link FeatureCache}) or per step.
 *
 * @param stylised       AdaIN_SD features of {@code x}, finest first (generator input)
 * @param contentTarget  {@code IN(E_1(x))} {@code [B, C1, 32, 32]}, the content loss target
 * @param grams          normalised Gram matrices of {@code E(y)} per scale (Gram loss target)
 * @param criticInput    Gram stack of {@code y} {@code [B, K, S, S]} (critic's real input)
 * @param semanticTarget embedding of {@code y} (paired) or of {@code x} (unpaired), {@code [B, D]}
 */
record RealFeatures(
        NDList stylised, NDArray contentTarget, List<NDArray> grams, NDArray criticInput, NDArray semanticTarget) {

    /** Computes the constants for a batch; {@code x} and {@code y} are {@code [B,1,32,32]} in [-1,1]. */
    static RealFeatures compute(SketchGan gan, NDArray x, NDArray y, boolean paired) {
        NDList ex = gan.encode(x);
        NDList ey = gan.encode(y);
        List<NDArray> grams = GramMatrix.ofAll(ey);
        return new RealFeatures(
                gan.stylise(ex),
                InstanceNorm.normalize(ex.get(0), InstanceNorm.DEFAULT_EPSILON),
                grams,
                GramMatrix.stack(grams, gan.config().gramSize()),
                gan.encoder().embedding(paired ? ey : ex));
    }
}
