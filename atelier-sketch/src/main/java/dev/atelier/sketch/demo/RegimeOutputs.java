package dev.atelier.sketch.demo;

import java.util.List;
import java.util.Map;

/**
 * What one regime produced.
 *
 * @param regime   which regime
 * @param sketches designer name → held-out sketches (32×32 in [0,1], same order as {@link HeldOut})
 * @param curve    per-round (students: per sampled step) mean training metrics across designers
 */
record RegimeOutputs(DemoRegime regime, Map<String, List<float[]>> sketches, List<Map<String, Double>> curve) {
    RegimeOutputs {
        sketches = Map.copyOf(sketches);
        curve = List.copyOf(curve);
    }

    /** A designer's held-out sketches; fails naming both when the regime has none for it. */
    List<float[]> of(String designer) {
        List<float[]> s = sketches.get(designer);
        if (s == null) {
            throw new IllegalStateException("regime " + regime.key() + " has no sketches of " + designer);
        }
        return s;
    }
}
