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
 * @param semanticTarget embedding of {@code y} for a paired row, of {@code x} otherwise, {@code [B, D]}
 */
record RealFeatures(
        NDList stylised, NDArray contentTarget, List<NDArray> grams, NDArray criticInput, NDArray semanticTarget) {

    /**
     * Computes the constants for a batch; {@code x} and {@code y} are {@code [B,1,N,N]} in [-1,1],
     * and their first {@code pairedRows} rows are pairs ({@code y} draws {@code x}): 0 for unpaired
     * data, {@code B} for her pairs, in between when unsketched garments follow her pairs.
     */
    static RealFeatures compute(SketchGan gan, NDArray x, NDArray y, int pairedRows) {
        NDList ex = gan.encode(x);
        NDList ey = gan.encode(y);
        List<NDArray> grams = GramMatrix.ofAll(ey);
        long rows = x.getShape().get(0);
        if (pairedRows < 0 || pairedRows > rows) {
            throw new IllegalArgumentException("pairedRows " + pairedRows + " outside [0, " + rows + "]");
        }
        NDArray semantic = pairedRows == rows
                ? gan.encoder().embedding(ey)
                : pairedRows == 0
                        ? gan.encoder().embedding(ex)
                        : gan.encoder()
                                .embedding(ey)
                                .get("0:" + pairedRows)
                                .concat(gan.encoder().embedding(ex).get(pairedRows + ":"), 0);
        return new RealFeatures(
                gan.stylise(ex),
                InstanceNorm.normalize(ex.get(0), InstanceNorm.DEFAULT_EPSILON),
                grams,
                GramMatrix.stack(grams, gan.config().gramSize()),
                semantic);
    }
}
