package dev.atelier.sketch.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one regime produced: per designer, the held-out sketches (same order as {@link HeldOut})
 * and the per-round mean training metrics across designers.
 */
final class RegimeOutputs {
    final Map<String, List<float[]>> sketches = new LinkedHashMap<>();
    final List<Map<String, Double>> curve;

    RegimeOutputs(List<Map<String, Double>> curve) {
        this.curve = curve;
    }
}
