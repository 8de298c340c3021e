package dev.atelier.core.run;

import dev.atelier.core.message.Failure;
import java.util.List;
import java.util.Map;

/**
 * What happened in one round; one line of {@code metrics.jsonl}.
 *
 * @param round       1-based round
 * @param sampled     nodes asked
 * @param replies     valid replies aggregated
 * @param failures    nodes that did not contribute, with reasons
 * @param aggregated  false when too few replies arrived and the global model was kept
 * @param fit         example-weighted mean of the nodes' reported training metrics
 * @param eval        metrics of the new global model from the run's evaluator (may be empty)
 * @param seconds     wall time of the round
 */
public record RoundRecord(
        int round,
        int sampled,
        int replies,
        List<Failure> failures,
        boolean aggregated,
        Map<String, Double> fit,
        Map<String, Double> eval,
        double seconds) {
    public RoundRecord {
        failures = List.copyOf(failures);
        fit = Map.copyOf(fit);
        eval = Map.copyOf(eval);
    }
}
