package dev.atelier.core.message;

import dev.atelier.core.params.ParamSet;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a node sends back for one {@link Instruction}.
 *
 * @param nodeId      the replying node
 * @param round       the round it answers
 * @param params      updated parameters (full values, not deltas); empty for metric-only tasks
 * @param numExamples local examples used; the weight in example-weighted aggregation
 * @param metrics     scalar metrics (loss, accuracy...), sorted by name
 * @param payload     compact non-tensor payload; empty array when unused
 */
public record Reply(
        String nodeId, int round, ParamSet params, long numExamples, Map<String, Double> metrics, byte[] payload) {
    public Reply {
        Objects.requireNonNull(nodeId, "nodeId");
        params = params == null ? ParamSet.empty() : params;
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
        payload = payload == null ? new byte[0] : payload;
        if (numExamples < 0) {
            throw new IllegalArgumentException("numExamples must be >= 0, got " + numExamples);
        }
    }

    public Reply withParams(ParamSet newParams) {
        return new Reply(nodeId, round, newParams, numExamples, metrics, payload);
    }
}
