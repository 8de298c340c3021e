package dev.atelier.sketch.eval;

import java.util.List;
import java.util.Map;

/**
 * Quality of one designer's generated sketches against that designer's reference renderings of the
 * same held-out garments. See {@code docs/evaluation.md} for the definitions.
 *
 * @param fsd      Fréchet sketch distance in the evaluator embedding (squared embedding units, ≥ 0, lower is better)
 * @param kid      kernel distance, unbiased MMD² with the cubic kernel (≈ 0 when matched, lower is better)
 * @param ssim     mean SSIM of aligned pairs, in [-1, 1] (higher is better)
 * @param l1       mean absolute pixel error, in [0, 1] (lower is better)
 * @param styleAcc fraction of sketches the evaluator assigns to the designer's style, in [0, 1]
 * @param fusion   mean style probability on the other designers' styles, in [0, 1] (style leakage)
 */
public record SketchMetrics(double fsd, double kid, double ssim, double l1, double styleAcc, double fusion) {

    private static final List<String> NAMES = List.of("fsd", "kid", "ssim", "l1", "style_acc", "fusion");

    /** Keys as in {@code report.json}: {@code fsd, kid, ssim, l1, style_acc, fusion}, in that order. */
    public Map<String, Double> toMap() {
        return NamedMetrics.toMap(NAMES, fsd, kid, ssim, l1, styleAcc, fusion);
    }
}
