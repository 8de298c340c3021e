package dev.atelier.core.run;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of one federation.
 *
 * @param runId           unique id, also the run directory name
 * @param rounds          number of rounds to run
 * @param seed            seeds node sampling (and is recorded for workloads)
 * @param roundTimeout    deadline per round; slower nodes are dropped as stragglers
 * @param checkpointEvery write a checkpoint every this many rounds (the last round always)
 * @param details         free-form description recorded in run.json (workload, dataset, partition...)
 */
public record RunConfig(
        String runId, int rounds, long seed, Duration roundTimeout, int checkpointEvery, Map<String, Object> details) {
    public RunConfig {
        if (runId == null || !runId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("run id must be letters, digits, '.', '_' or '-', got '" + runId + "'");
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be >= 1, got " + checkpointEvery);
        }
        details = Map.copyOf(details);
    }

    public static RunConfig of(String runId, int rounds, long seed) {
        return new RunConfig(runId, rounds, seed, Duration.ofHours(1), 1, Map.of());
    }

    public RunConfig withDetails(Map<String, Object> more) {
        var m = new java.util.LinkedHashMap<>(details);
        m.putAll(more);
        return new RunConfig(runId, rounds, seed, roundTimeout, checkpointEvery, m);
    }
}
