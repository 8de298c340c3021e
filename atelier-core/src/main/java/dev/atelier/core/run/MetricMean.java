package dev.atelier.core.run;

import java.util.Map;
import java.util.TreeMap;

/** Example-weighted mean of per-node scalar metrics; thread-safe. */
final class MetricMean {
    private final Map<String, double[]> sums = new TreeMap<>();

    synchronized void add(Map<String, Double> metrics, long weight) {
        double w = Math.max(weight, 1);
        metrics.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                double[] s = sums.computeIfAbsent(k, x -> new double[2]);
                s[0] += w * v;
                s[1] += w;
            }
        });
    }

    synchronized Map<String, Double> mean() {
        Map<String, Double> out = new TreeMap<>();
        sums.forEach((k, s) -> out.put(k, s[0] / s[1]));
        return out;
    }
}
