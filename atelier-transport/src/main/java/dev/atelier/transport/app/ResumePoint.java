package dev.atelier.transport.app;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.core.workload.WorkloadProvider;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a coordinator (re)starts a run: after the newest checkpoint in its run directory, from
 * those parameters, or at round 1 from the workload's initial model. Finding it also trims
 * {@code metrics.jsonl} to the checkpoint ({@link RunDirectory#keepMetricsUpTo}), so the resumed
 * rounds are appended once. Immutable.
 *
 * @param completed rounds already checkpointed (0 for a fresh run)
 * @param initial   the global parameters to start from
 * @param trim      what was removed from metrics.jsonl
 */
record ResumePoint(int completed, ParamSet initial, RunDirectory.MetricsTrim trim) {
    private static final Logger LOG = LoggerFactory.getLogger("atelier.coordinator");

    static ResumePoint find(RunDirectory dir, WorkloadProvider provider, Config workloadConfig) throws Exception {
        Optional<Map.Entry<Integer, ParamSet>> latest = dir.latestCheckpoint(LOG::warn);
        int completed = latest.map(Map.Entry::getKey).orElse(0);
        ParamSet initial = latest.isPresent() ? latest.get().getValue() : provider.initialParameters(workloadConfig);
        return new ResumePoint(completed, initial, dir.keepMetricsUpTo(completed));
    }

    boolean resumed() {
        return completed > 0;
    }
}
