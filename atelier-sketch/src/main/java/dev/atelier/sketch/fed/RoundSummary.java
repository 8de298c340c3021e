package dev.atelier.sketch.fed;

import dev.atelier.core.run.RoundPrivacy;
import dev.atelier.sketch.train.StepMetrics;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One round of a sketch federation: each designer's mean local-step metrics and the wall time.
 *
 * @param round       1-based
 * @param perDesigner designer name → mean metrics of its local steps this round, in designer order
 * @param seconds     wall time of the round
 * @param privacy     the round's secure-aggregation record (contributors, dropouts); null when the
 *                    round ran without SecAgg+
 */
public record RoundSummary(int round, Map<String, StepMetrics> perDesigner, double seconds, RoundPrivacy privacy) {
    /** A round without secure aggregation. */
    public RoundSummary(int round, Map<String, StepMetrics> perDesigner, double seconds) {
        this(round, perDesigner, seconds, null);
    }

    public RoundSummary {
        perDesigner = Collections.unmodifiableMap(new LinkedHashMap<>(perDesigner));
    }
}
