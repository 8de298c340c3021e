package dev.atelier.sketch.student;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unweighted loss terms of one distillation step (or their mean over several).
 *
 * @param step        1-based index of the step in the distiller's lifetime (for a mean: the last step)
 * @param feature     per-scale feature MSE, mean over scales
 * @param l1          student-vs-teacher pixel L1 in [0,1] image units (half the [-1,1] value)
 * @param mse         student-vs-teacher pixel MSE in [-1,1] units
 * @param adversarial generator hinge loss against the teacher's frozen critic
 * @param total       the weighted loss that was minimised
 */
public record DistillMetrics(long step, double feature, double l1, double mse, double adversarial, double total) {

    /** Metric names as used in logs and reports. */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("feature", feature);
        m.put("l1", l1);
        m.put("mse", mse);
        m.put("adversarial", adversarial);
        m.put("total", total);
        return m;
    }

    /** Component-wise mean, {@code step} of the last element; all zeros for an empty list. */
    public static DistillMetrics mean(List<DistillMetrics> steps) {
        double[] s = new double[5];
        for (DistillMetrics m : steps) {
            s[0] += m.feature;
            s[1] += m.l1;
            s[2] += m.mse;
            s[3] += m.adversarial;
            s[4] += m.total;
        }
        int n = Math.max(1, steps.size());
        long last = steps.isEmpty() ? 0 : steps.get(steps.size() - 1).step;
        return new DistillMetrics(last, s[0] / n, s[1] / n, s[2] / n, s[3] / n, s[4] / n);
    }
}
