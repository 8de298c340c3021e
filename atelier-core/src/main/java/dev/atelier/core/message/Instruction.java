package dev.atelier.core.message;

import dev.atelier.core.params.ParamSet;
import java.util.Objects;

/**
 * What the coordinator asks of one node in one round.
 *
 * @param runId   the federation this belongs to
 * @param round   1-based round number
 * @param nodeId  the addressed node
 * @param kind    task to perform
 * @param config  task settings (learning rate, local steps, ...)
 * @param params  parameters to start from; empty for tasks that need none
 * @param payload a compact non-tensor payload (e.g. zeroth-order seeds); empty array when unused
 */
public record Instruction(
        String runId, int round, String nodeId, TaskKind kind, Config config, ParamSet params, byte[] payload) {
    public Instruction {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(kind, "kind");
        config = config == null ? Config.empty() : config;
        params = params == null ? ParamSet.empty() : params;
        payload = payload == null ? new byte[0] : payload;
    }

    public static Instruction train(String runId, int round, String nodeId, Config config, ParamSet params) {
        return new Instruction(runId, round, nodeId, TaskKind.TRAIN, config, params, null);
    }

    /** A copy carrying different parameters (used by outgoing filters). */
    public Instruction withParams(ParamSet newParams) {
        return new Instruction(runId, round, nodeId, kind, config, newParams, payload);
    }
}
