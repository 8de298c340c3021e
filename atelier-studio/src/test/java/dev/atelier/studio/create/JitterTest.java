package dev.atelier.studio.create;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.sketch.folder.Canvas;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JitterTest {
    @Test
    void candidatesSeeDistinctShiftsAndAreMovedBackIntoPlace() {
        float[] g = new float[Canvas.SIDE * Canvas.SIDE];
        g[10 * Canvas.SIDE + 12] = 1f; // one lit pixel at (12, 10)
        Set<Integer> lit = new HashSet<>();
        for (int k = 0; k < Jitter.max(); k++) {
            float[] in = Jitter.input(g, k);
            int at = -1;
            for (int i = 0; i < in.length; i++) {
                if (in[i] == 1f) {
                    at = i;
                }
            }
            lit.add(at);
            int[] o = Jitter.OFFSETS.get(k);
            assertThat(at).isEqualTo((10 + o[1]) * Canvas.SIDE + 12 + o[0]);
            // a shift-equivariant "generator" (identity) would give back the same image
            float[] back = Jitter.output(in, k);
            assertThat(back[10 * Canvas.SIDE + 12]).isEqualTo(1f);
        }
        assertThat(lit).hasSize(Jitter.max());
        assertThat(Jitter.describe(0)).isEqualTo("plain");
        assertThat(Jitter.describe(1)).isEqualTo("shift +1,+0");
    }
}
