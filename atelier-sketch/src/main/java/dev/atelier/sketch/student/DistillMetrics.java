package dev.atelier.sketch.student;

import dev.atelier.sketch.eval.NamedMetrics;
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

    /** Metric names as used in logs and reports, in component order ({@code step} is not a metric). */
    private static final List<String> NAMES = List.of("feature", "l1", "mse", "adversarial", "total");

    /** Metric names as used in logs and reports. */
    public Map<String, Double> toMap() {
        return NamedMetrics.toMap(NAMES, values());
    }

    /** Component-wise mean, {@code step} of the last element; all zeros for an empty list. */
    public static DistillMetrics mean(List<DistillMetrics> steps) {
        double[] s = NamedMetrics.mean(steps, DistillMetrics::values, NAMES.size());
        long last = steps.isEmpty() ? 0 : steps.get(steps.size() - 1).step;
        return new DistillMetrics(last, s[0], s[1], s[2], s[3], s[4]);
    }

    private double[] values() {
        return new double[] {feature, l1, mse, adversarial, total};
    }
}
