package dev.atelier.sketch.fed;

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
 */
public record RoundSummary(int round, Map<String, StepMetrics> perDesigner, double seconds) {
    public RoundSummary {
        perDesigner = Collections.unmodifiableMap(new LinkedHashMap<>(perDesigner));
    }
}
