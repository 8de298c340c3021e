package dev.atelier.sketch.eval;

import java.util.List;

/** Argument checks shared by the paired (generated[i] vs reference[i]) pixel metrics. */
final class Pairs {
    private Pairs() {}

    static void check(List<float[]> generated, List<float[]> references) {
        if (generated.isEmpty()) {
            throw new IllegalArgumentException("no sketches to compare");
        }
        if (generated.size() != references.size()) {
            throw new IllegalArgumentException("paired metrics need as many references as generated sketches, got "
                    + generated.size() + " generated and " + references.size() + " references");
        }
    }
}
