package dev.atelier.transport.coordinator;

import java.util.Map;

/**
 * What the coordinator tells a registering node about the federation it joins.
 *
 * @param runId          the run
 * @param workload       workload name every node must run
 * @param workloadConfig workload settings shared by all nodes (model shape, dataset options)
 */
public record FederationInfo(String runId, String workload, Map<String, String> workloadConfig) {
    /**
     * Start of the FAILED_PRECONDITION description a node gets when it registers after the run
     * finished its last round (polls and heartbeats say so with their {@code run_complete} flag).
     */
    public static final String RUN_COMPLETE_REFUSAL = "run complete:";

    public FederationInfo {
        workloadConfig = Map.copyOf(workloadConfig);
    }
}
