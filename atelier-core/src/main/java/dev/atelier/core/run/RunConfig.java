package dev.atelier.core.run;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of one federation.
 *
 * @param runId           unique id, also the run directory name
 * @param rounds          number of rounds to run
 * @param seed            seeds node sampling (and is recorded for workloads)
 * @param roundTimeout    deadline of one round's training exchange, waiting for nodes included;
 *                        slower nodes are dropped as stragglers. The federated evaluation phase,
 *                        a second exchange, gets its own deadline of the same length.
 * @param checkpointEvery write a checkpoint every this many rounds (the last round always)
 * @param evaluateEvery   run the federated evaluation phase after every this many rounds (rounds
 *                        divisible by it); 0 turns it off. Off by default: every node's workload
 *                        must then implement {@code TaskKind.EVALUATE} on held-out data.
 * @param details         free-form description recorded in run.json (workload, dataset, partition...)
 */
public record RunConfig(
        String runId,
        int rounds,
        long seed,
        Duration roundTimeout,
        int checkpointEvery,
        int evaluateEvery,
        Map<String, Object> details) {
    public RunConfig {
        if (runId == null || !runId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("run id must be letters, digits, '.', '_' or '-', got '" + runId + "'");
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        }
        if (roundTimeout == null || roundTimeout.isNegative() || roundTimeout.isZero()) {
            throw new IllegalArgumentException("round timeout must be positive, got " + roundTimeout);
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be >= 1, got " + checkpointEvery);
        }
        if (evaluateEvery < 0) {
            throw new IllegalArgumentException("evaluateEvery must be >= 0 (0 = off), got " + evaluateEvery);
        }
        details = Map.copyOf(details);
    }

    /** Settings without federated evaluation. */
    public RunConfig(
            String runId,
            int rounds,
            long seed,
            Duration roundTimeout,
            int checkpointEvery,
            Map<String, Object> details) {
        this(runId, rounds, seed, roundTimeout, checkpointEvery, 0, details);
    }

    public static RunConfig of(String runId, int rounds, long seed) {
        return new RunConfig(runId, rounds, seed, Duration.ofHours(1), 1, 0, Map.of());
    }

    public RunConfig withDetails(Map<String, Object> more) {
        var m = new java.util.LinkedHashMap<>(details);
        m.putAll(more);
        return new RunConfig(runId, rounds, seed, roundTimeout, checkpointEvery, evaluateEvery, m);
    }

    public RunConfig withRoundTimeout(Duration timeout) {
        return new RunConfig(runId, rounds, seed, timeout, checkpointEvery, evaluateEvery, details);
    }

    /** A copy running federated evaluation every {@code every} rounds (0 = off). */
    public RunConfig withEvaluateEvery(int every) {
        return new RunConfig(runId, rounds, seed, roundTimeout, checkpointEvery, every, details);
    }

    /** True when round {@code round} ends with a federated evaluation phase. */
    public boolean evaluatesAfter(int round) {
        return evaluateEvery > 0 && round % evaluateEvery == 0;
    }
}
