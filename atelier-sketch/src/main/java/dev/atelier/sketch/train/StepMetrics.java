package dev.atelier.sketch.train;

import java.util.LinkedHashMap;
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

    /** Metric names as used in replies and logs. */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("d_loss", dLoss);
        m.put("g_adv", gAdv);
        m.put("gram", gram);
        m.put("semantic", semantic);
        m.put("content", content);
        m.put("l1", l1);
        m.put("decorr", decorr);
        m.put("prox", prox);
        return m;
    }

    /** Component-wise mean; all zeros for an empty list. */
    public static StepMetrics mean(List<StepMetrics> steps) {
        double[] s = new double[8];
        for (StepMetrics m : steps) {
            s[0] += m.dLoss;
            s[1] += m.gAdv;
            s[2] += m.gram;
            s[3] += m.semantic;
            s[4] += m.content;
            s[5] += m.l1;
            s[6] += m.decorr;
            s[7] += m.prox;
        }
        int n = Math.max(1, steps.size());
        return new StepMetrics(s[0] / n, s[1] / n, s[2] / n, s[3] / n, s[4] / n, s[5] / n, s[6] / n, s[7] / n);
    }
}
