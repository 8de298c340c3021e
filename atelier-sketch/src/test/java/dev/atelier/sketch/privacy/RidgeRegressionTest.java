package dev.atelier.sketch.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.SketchPairs;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RidgeRegressionTest {
    @Test
    void recoversTheWeightsOfCorrelatedGradientsInTheUpdate() {
        // 6 gradients in 2000 dimensions sharing one strong common direction (as same-style sketches do)
        SplittableRandom rng = new SplittableRandom(5);
        int n = 6;
        int d = 2000;
        double[] common = new double[d];
        for (int k = 0; k < d; k++) {
            common[k] = rng.nextGaussian();
        }
        double[][] g = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                g[i][k] = 5 * common[k] + rng.nextGaussian();
            }
        }
        double[] truth = {1, 1, 1, 0, 0, 0};
        double[] delta = new double[d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                delta[k] += truth[i] * g[i][k];
            }
        }
        double[] w = RidgeRegression.of(g).weights(delta);
        for (int i = 0; i < n; i++) {
            assertThat(w[i]).as("weight %d", i).isCloseTo(truth[i], within(0.05));
        }
        // a plain dot product barely separates them (about 1%): the common direction dominates every candidate
        double minIn = Double.MAX_VALUE;
        double maxOut = -Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            double dot = 0;
            for (int k = 0; k < d; k++) {
                dot += g[i][k] * delta[k];
            }
            double rel = dot / (3 * 26.0 * d); // ≈ 1 for every candidate
            if (truth[i] > 0) {
                minIn = Math.min(minIn, rel);
            } else {
                maxOut = Math.max(maxOut, rel);
            }
        }
        assertThat(minIn / maxOut).isBetween(0.95, 1.1);
    }

    @Test
    void unpairedSplitKeepsTheGarmentFolderApartFromBothCandidateHalves() {
        SketchPairs all = TestModels.designer(Styles.BOLD, 0, 30);
        PrivacyAudit.Designer d =
                PrivacyAudit.Designer.split("ada", Styles.BOLD.ordinal(), all.garments(), all.sketches(), false);
        assertThat(d.members().paired()).isFalse();
        assertThat(d.members().sketches()).hasSize(10).containsExactly(every(all.sketches(), 0));
        assertThat(d.nonMembers()).hasSize(10).containsExactly(every(all.sketches(), 1));
        assertThat(d.members().garments()).hasSize(10).containsExactly(every(all.garments(), 2));
        PrivacyAudit.Designer p =
                PrivacyAudit.Designer.split("ada", Styles.BOLD.ordinal(), all.garments(), all.sketches(), true);
        assertThat(p.members().paired()).isTrue();
        assertThat(p.members().sketches()).hasSize(15);
        assertThat(p.members().garments()).containsExactly(everyOther(all.garments()));
    }

    private static float[][] every(java.util.List<float[]> xs, int from) {
        java.util.List<float[]> out = new java.util.ArrayList<>();
        for (int i = from; i < xs.size(); i += 3) {
            out.add(xs.get(i));
        }
        return out.toArray(new float[0][]);
    }

    private static float[][] everyOther(java.util.List<float[]> xs) {
        java.util.List<float[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < xs.size(); i += 2) {
            out.add(xs.get(i));
        }
        return out.toArray(new float[0][]);
    }
}
