package dev.atelier.sketch.train;

import dev.atelier.sketch.eval.NamedMetrics;
import java.util.List;
import java.util.Map;

/**
 * Unweighted loss terms of one local step (or their mean over several). Terms a step did not
 * compute (the critic's during generator warm-up, l1 for unpaired data, prox without FedProx) are 0.
 *
 * @param dLoss    critic hinge loss
 * @param gAdv     generator hinge loss
 * @param gram     Gram loss
 * @param semantic embedding cosine loss
 * @param content  shallow-feature content loss
 * @param l1       pixel L1 to the paired reference, in [0,1] image units (half the [-1,1] value)
 * @param decorr   FedDecorr loss of the critic's penultimate features
 * @param prox     proximal term {@code (μ/2)·‖θ_D − θ_D^global‖²} (0 when μ = 0)
 */
public record StepMetrics(
        double dLoss,
        double gAdv,
        double gram,
        double semantic,
        double content,
        double l1,
        double decorr,
        double prox) {

    /** Metric names as used in replies and logs, in component order. */
    private static final List<String> NAMES =
            List.of("d_loss", "g_adv", "gram", "semantic", "content", "l1", "decorr", "prox");

    /** Metric names as used in replies and logs. */
    public Map<String, Double> toMap() {
        return NamedMetrics.toMap(NAMES, values());
    }

    /** Component-wise mean; all zeros for an empty list. */
    public static StepMetrics mean(List<StepMetrics> steps) {
        double[] s = NamedMetrics.mean(steps, StepMetrics::values, NAMES.size());
        return new StepMetrics(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
    }

    private double[] values() {
        return new double[] {dLoss, gAdv, gram, semantic, content, l1, decorr, prox};
    }
}
