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
    public FederationInfo {
        workloadConfig = Map.copyOf(workloadConfig);
    }
}
