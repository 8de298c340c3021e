package dev.atelier.sketch.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.sketch.demo.DesignerData;
import dev.atelier.sketch.style.DesignerProfile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StyleExperimentTest {
    private static DesignerData designer(String name, String style, int n) {
        double[] mix = new double[10];
        mix[0] = 1;
        List<float[]> garments = new ArrayList<>();
        List<float[]> sketches = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            garments.add(new float[] {i});
            sketches.add(new float[] {100 + i});
            labels[i] = i % 10;
        }
        return new DesignerData(new DesignerProfile(name, style, mix, n), garments, labels, sketches);
    }

    @Test
    void fewerPairsKeepsASeededSubsetOfHerPairsStillPairedAndLeavesTheOthers() {
        DesignerData stipple = designer("s", "stipple", 60);
        DesignerData detail = designer("d", "detail", 40);
        List<DesignerData> out = StyleExperiment.fewerPairs(List.of(stipple, detail), "stipple:24", 7);
        DesignerData few = out.get(0);
        assertEquals(24, few.garments().size());
        assertEquals(24, few.profile().trainPairs());
        Set<Float> kept = new HashSet<>();
        for (int i = 0; i < 24; i++) {
            float g = few.garments().get(i)[0];
            assertEquals(100 + g, few.sketches().get(i)[0]); // still her pair
            assertEquals((int) g % 10, few.labels()[i]);
            assertTrue(g >= 0 && g < 60);
            kept.add(g);
        }
        assertEquals(24, kept.size()); // distinct pairs
        assertSame(detail, out.get(1));
        List<Float> firstOf = List.of(few.garments().get(0)[0], few.garments().get(23)[0]);
        DesignerData other =
                StyleExperiment.fewerPairs(List.of(stipple), "stipple:24", 8).get(0);
        assertNotEquals(
                firstOf, List.of(other.garments().get(0)[0], other.garments().get(23)[0]));
        assertThrows(IllegalArgumentException.class, () -> StyleExperiment.fewerPairs(List.of(stipple), "hatch:5", 7));
        assertThrows(
                IllegalArgumentException.class, () -> StyleExperiment.fewerPairs(List.of(stipple), "stipple:61", 7));
    }
}
