package dev.atelier.sketch.demo;

import dev.atelier.sketch.style.DesignerProfile;
import dev.atelier.sketch.style.Styles;
import java.util.List;

/**
 * One designer's private data in the demo: garment images from the private split chosen by the
 * profile's garment mix, and the designer's own sketches of them (rendered in their style).
 *
 * @param profile   name, style, garment mix, size
 * @param garments  28×28 garments in [0,1]
 * @param labels    garment categories (0..9), parallel to {@code garments}
 * @param sketches  32×32 sketches in [0,1] (1 = paper), paired with {@code garments}
 */
public record DesignerData(DesignerProfile profile, List<float[]> garments, int[] labels, List<float[]> sketches) {
    public DesignerData {
        if (garments.size() != labels.length || garments.size() != sketches.size()) {
            throw new IllegalArgumentException(
                    "designer " + profile.name() + ": garments, labels and sketches differ in length");
        }
        garments = List.copyOf(garments);
        sketches = List.copyOf(sketches);
    }

    public Styles style() {
        return profile.sketchStyle();
    }

    public String name() {
        return profile.name();
    }

    /** Categories this designer has at least one garment of. */
    public boolean[] seenCategories() {
        boolean[] seen = new boolean[10];
        for (int l : labels) {
            seen[l] = true;
        }
        return seen;
    }
}
