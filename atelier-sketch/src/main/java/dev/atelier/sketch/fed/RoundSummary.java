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
 * @param trainingSeconds the designers' local training in the federated regime's TRAIN
 *                    instructions, summed (they run in turn in-process): {@code seconds} minus
 *                    this is the protocol's cost (serialisation, SecAgg+ stages, aggregation);
 *                    0 in the baselines, which train outside the transport
 * @param privacy     the round's secure-aggregation record (contributors, dropouts); null when the
 *                    round ran without SecAgg+
 */
public record RoundSummary(
        int round, Map<String, StepMetrics> perDesigner, double seconds, double trainingSeconds, RoundPrivacy privacy) {
    /** A round without secure aggregation or training time. */
    public RoundSummary(int round, Map<String, StepMetrics> perDesigner, double seconds) {
        this(round, perDesigner, seconds, 0, null);
    }

    public RoundSummary {
        perDesigner = Collections.unmodifiableMap(new LinkedHashMap<>(perDesigner));
    }
}
