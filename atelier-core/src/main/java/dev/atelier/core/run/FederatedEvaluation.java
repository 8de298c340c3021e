package dev.atelier.core.run;

import dev.atelier.core.message.Failure;
import java.util.List;
import java.util.Map;

/**
 * The federated evaluation phase of one round (Flower's {@code aggregate_evaluate}): nodes scored
 * the new global model on their local held-out data and the run averaged their metrics.
 *
 * @param sampled  nodes asked to evaluate
 * @param replies  valid evaluate replies averaged
 * @param metrics  example-weighted mean of the replies' metrics (weight = each node's held-out
 *                 example count); empty when no reply was valid
 * @param examples held-out examples behind {@code metrics} (sum over valid replies)
 * @param failures nodes that did not contribute, with reasons
 */
public record FederatedEvaluation(
        int sampled, int replies, Map<String, Double> metrics, long examples, List<Failure> failures) {
    public FederatedEvaluation {
        metrics = Map.copyOf(metrics);
        failures = List.copyOf(failures);
    }
}
