package dev.atelier.sketch.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GradientCanariesTest {
    static final ParamSet CRITIC = ParamSet.builder()
            .put("disc.a.weight", Tensor.f32(new long[] {40, 50}, new float[2000]))
            .put("disc.b.bias", Tensor.f32(new long[] {300}, new float[300]))
            .build();

    static double norm(ParamSet p) {
        double s = 0;
        for (Tensor t : p.asMap().values()) {
            for (float v : t.toFloats()) {
                s += (double) v * v;
            }
        }
        return Math.sqrt(s);
    }

    @Test
    void directionsHaveTheClipNormAreSeededAndFairCoinsSplitThem() {
        GradientCanaries a = GradientCanaries.draw(CRITIC, 32, 1.5, 9);
        assertThat(a.count()).isEqualTo(32);
        assertThat(a.in().size()).isBetween(8, 24);
        for (ParamSet u : a.in()) {
            assertThat(u.sameSpec(CRITIC)).isTrue();
            assertThat(norm(u)).isCloseTo(1.5, within(1e-4));
        }
        GradientCanaries b = GradientCanaries.draw(CRITIC, 32, 1.5, 9);
        assertThat(b.in()).isEqualTo(a.in());
        assertThat(GradientCanaries.draw(CRITIC, 32, 1.5, 10).in().get(0)).isNotEqualTo(a.in().get(0));
        // four coins leave fewer than 2 in or out for 10 of 16 outcomes: drawn again until both have 2
        for (long seed = 0; seed < 50; seed++) {
            GradientCanaries four = GradientCanaries.draw(CRITIC, 4, 1, seed);
            assertThat(four.in()).hasSize(2);
            assertThat(four.out()).hasSize(2);
        }
        assertThatThrownBy(() -> GradientCanaries.draw(CRITIC, 3, 1, 1)).hasMessageContaining(">= 4");
        assertThatThrownBy(() -> GradientCanaries.draw(CRITIC, 8, 0, 1)).hasMessageContaining("norm");
    }

    @Test
    void theProjectionFindsTheDirectionsAnUpdateDescendedAlongAndNotTheOthers() {
        GradientCanaries c = GradientCanaries.draw(CRITIC, 24, 1.0, 4);
        SplittableRandom rng = new SplittableRandom(1);
        List<ParamSet> before = new ArrayList<>();
        List<ParamSet> after = new ArrayList<>();
        ParamSet w = CRITIC;
        for (int r = 0; r < 3; r++) {
            // the round's descent: each in-canary's gradient at a tenth of a noise of norm ~ 1 per weight
            ParamSet.Builder next = ParamSet.builder();
            for (var e : w.asMap().entrySet()) {
                float[] v = e.getValue().toFloats();
                for (int k = 0; k < v.length; k++) {
                    double g = rng.nextGaussian();
                    for (ParamSet u : c.in()) {
                        g += 3 * u.get(e.getKey()).toFloats()[k];
                    }
                    v[k] -= (float) (0.01 * g);
                }
                next.put(e.getKey(), Tensor.f32(e.getValue().shape(), v));
            }
            before.add(w);
            w = next.build();
            after.add(w);
        }
        double[] s = c.scores(before, after);
        int in = c.in().size();
        AucInterval auc =
                AucInterval.of(java.util.Arrays.copyOfRange(s, 0, in), java.util.Arrays.copyOfRange(s, in, s.length));
        assertThat(auc.auc()).isEqualTo(1.0);
        // a rise along the directions (the opposite of descent) scores them lowest
        double[] reversed = c.scores(after, before);
        assertThat(reversed[0]).isNegative();
        assertThat(c.scores(before, before)).containsOnly(0.0);
    }
}
