package dev.atelier.core.run;

import dev.atelier.core.aggregate.AggregationMath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Example-weighted mean of per-node scalar metrics ({@link AggregationMath#weightedMean(double[],
 * double[])} per metric name). A node's weight is its example count, at least 1; non-finite values
 * are left out of their metric's mean. Holds one (value, weight) pair per node and metric.
 * Thread-safe.
 */
final class MetricMean {
    private final Map<String, List<double[]>> values = new TreeMap<>();

    synchronized void add(Map<String, Double> metrics, long weight) {
        double w = Math.max(weight, 1);
        metrics.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                values.computeIfAbsent(k, x -> new ArrayList<>()).add(new double[] {v, w});
            }
        });
    }

    synchronized Map<String, Double> mean() {
        Map<String, Double> out = new TreeMap<>();
        values.forEach((k, pairs) -> {
            double[] v = new double[pairs.size()];
            double[] w = new double[pairs.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = pairs.get(i)[0];
                w[i] = pairs.get(i)[1];
            }
            out.put(k, AggregationMath.weightedMean(v, w));
        });
        return out;
    }
}
