package dev.atelier.core.run;

import dev.atelier.core.message.Failure;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened in one played round; one line of {@code metrics.jsonl}. A round is played once
 * enough nodes were available; attempts that found too few are not rounds (see {@code Run}) and
 * only show up here as {@code nodeWaits}.
 *
 * @param round         1-based round
 * @param sampled       nodes asked to train
 * @param replies       valid replies aggregated
 * @param failures      nodes that did not contribute to training, with reasons
 * @param aggregated    false when too few replies arrived (or aggregation failed) and the global
 *                      model was kept
 * @param fit           example-weighted mean of the nodes' reported training metrics
 * @param eval          metrics of the new global model from the run's coordinator-side evaluator
 *                      (may be empty)
 * @param seconds       wall time of the round, waits and evaluation included
 * @param federatedEval the federated evaluation phase; empty when it did not run this round
 * @param nodeWaits     attempts of this round that found too few nodes and waited (0 normally)
 * @param privacy       secure aggregation and DP accounting of the round; empty when the run uses neither
 */
public record RoundRecord(
        int round,
        int sampled,
        int replies,
        List<Failure> failures,
        boolean aggregated,
        Map<String, Double> fit,
        Map<String, Double> eval,
        double seconds,
        Optional<FederatedEvaluation> federatedEval,
        int nodeWaits,
        Optional<RoundPrivacy> privacy) {
    public RoundRecord {
        Objects.requireNonNull(privacy, "privacy (use Optional.empty())");
        failures = List.copyOf(failures);
        fit = Map.copyOf(fit);
        eval = Map.copyOf(eval);
        Objects.requireNonNull(federatedEval, "federatedEval (use Optional.empty())");
        if (nodeWaits < 0) {
            throw new IllegalArgumentException("nodeWaits must be >= 0, got " + nodeWaits);
        }
    }

    /** A round of a run without secure aggregation or DP. */
    public RoundRecord(
            int round,
            int sampled,
            int replies,
            List<Failure> failures,
            boolean aggregated,
            Map<String, Double> fit,
            Map<String, Double> eval,
            double seconds,
            Optional<FederatedEvaluation> federatedEval,
            int nodeWaits) {
        this(
                round,
                sampled,
                replies,
                failures,
                aggregated,
                fit,
                eval,
                seconds,
                federatedEval,
                nodeWaits,
                Optional.empty());
    }

    /** A round without federated evaluation and without waits. */
    public RoundRecord(
            int round,
            int sampled,
            int replies,
            List<Failure> failures,
            boolean aggregated,
            Map<String, Double> fit,
            Map<String, Double> eval,
            double seconds) {
        this(round, sampled, replies, failures, aggregated, fit, eval, seconds, Optional.empty(), 0, Optional.empty());
    }
}
