package dev.atelier.sketch.style;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The eight styles must be distinguishable, otherwise "each designer has a style" is meaningless.
 * Two measures on a few hundred garments: (1) mean per-pixel L1 distance between two styles' sketches
 * of the same garment, for every pair of styles; (2) held-out accuracy of a nearest-centroid classifier
 * on {@link StyleFeatures} (centroids from even-indexed garments, evaluated on odd ones).
 */
class StyleSeparabilityTest {

    static final int N = 300;
    /** Smallest allowed mean L1 distance between any two styles (per pixel, values in [0,1]). */
    static final double MIN_PAIR_L1 = 0.025;
    /** Nearest-centroid is a weak classifier; real garments reach ~0.99, the cruder synthetic set ~0.96. */
    static final double MIN_ACCURACY_REAL = 0.97;

    static final double MIN_ACCURACY_SYNTHETIC = 0.94;

    @Test
    void stylesAreSeparableOnRealFashionMnist() throws IOException {
        check("fashion-mnist", FashionMnistIdx.images(FashionMnistIdx.testImages(), N), MIN_ACCURACY_REAL);
    }

    @Test
    void stylesAreSeparableOnSyntheticGarments() {
        check("synthetic", SyntheticGarments.batch(N, 7L), MIN_ACCURACY_SYNTHETIC);
    }

    private static void check(String data, float[][] garments, double minAccuracy) {
        Styles[] styles = Styles.values();
        int s = styles.length;
        float[][][] sketches = new float[garments.length][s][];
        for (int k = 0; k < garments.length; k++) {
            for (int j = 0; j < s; j++) {
                sketches[k][j] = styles[j].render(garments[k]);
            }
        }

        double[][] l1 = new double[s][s];
        for (float[][] perStyle : sketches) {
            for (int a = 0; a < s; a++) {
                for (int b = a + 1; b < s; b++) {
                    double d = 0;
                    for (int i = 0; i < perStyle[a].length; i++) {
                        d += Math.abs(perStyle[a][i] - perStyle[b][i]);
                    }
                    l1[a][b] += d / perStyle[a].length / garments.length;
                }
            }
        }
        double minL1 = Double.MAX_VALUE;
        String minPair = "";
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-10s", ""));
        for (Styles st : styles) {
            table.append(String.format(Locale.ROOT, "%10s", st.styleName()));
        }
        for (int a = 0; a < s; a++) {
            table.append(String.format(Locale.ROOT, "%n%-10s", styles[a].styleName()));
            for (int b = 0; b < s; b++) {
                double v = a < b ? l1[a][b] : l1[b][a];
                table.append(
                        a == b ? String.format(Locale.ROOT, "%10s", "-") : String.format(Locale.ROOT, "%10.3f", v));
                if (a < b && v < minL1) {
                    minL1 = v;
                    minPair = styles[a].styleName() + "/" + styles[b].styleName();
                }
            }
        }

        double accuracy = nearestCentroidAccuracy(garments, sketches, s);
        System.out.printf(
                Locale.ROOT,
                "[%s, %d garments] mean per-pixel L1 between styles:%n%s%n"
                        + "closest pair %s = %.4f; nearest-centroid held-out accuracy = %.4f%n",
                data,
                garments.length,
                table,
                minPair,
                minL1,
                accuracy);
        assertThat(minL1).as("closest style pair %s", minPair).isGreaterThan(MIN_PAIR_L1);
        assertThat(accuracy).isGreaterThanOrEqualTo(minAccuracy);
    }

    private static double nearestCentroidAccuracy(float[][] garments, float[][][] sketches, int s) {
        int f = StyleFeatures.NAMES.length;
        double[][][] feats = new double[garments.length][s][];
        for (int k = 0; k < garments.length; k++) {
            for (int j = 0; j < s; j++) {
                feats[k][j] = StyleFeatures.of(garments[k], sketches[k][j]);
            }
        }
        // z-score with training-set statistics so no feature dominates by scale.
        double[] mean = new double[f];
        double[] sd = new double[f];
        int trainCount = 0;
        for (int k = 0; k < garments.length; k += 2) {
            for (int j = 0; j < s; j++) {
                trainCount++;
                for (int q = 0; q < f; q++) {
                    mean[q] += feats[k][j][q];
                    sd[q] += feats[k][j][q] * feats[k][j][q];
                }
            }
        }
        for (int q = 0; q < f; q++) {
            mean[q] /= trainCount;
            sd[q] = Math.sqrt(Math.max(1e-12, sd[q] / trainCount - mean[q] * mean[q]));
        }
        double[][] centroid = new double[s][f];
        for (int k = 0; k < garments.length; k += 2) {
            for (int j = 0; j < s; j++) {
                for (int q = 0; q < f; q++) {
                    centroid[j][q] += (feats[k][j][q] - mean[q]) / sd[q] / ((garments.length + 1) / 2);
                }
            }
        }
        int correct = 0;
        int total = 0;
        int[][] confusion = new int[s][s];
        for (int k = 1; k < garments.length; k += 2) {
            for (int j = 0; j < s; j++) {
                int best = -1;
                double bestD = Double.MAX_VALUE;
                for (int c = 0; c < s; c++) {
                    double d = 0;
                    for (int q = 0; q < f; q++) {
                        double z = (feats[k][j][q] - mean[q]) / sd[q] - centroid[c][q];
                        d += z * z;
                    }
                    if (d < bestD) {
                        bestD = d;
                        best = c;
                    }
                }
                correct += best == j ? 1 : 0;
                confusion[j][best]++;
                total++;
            }
        }
        StringBuilder sb = new StringBuilder("confusion (row = true style, column = predicted):");
        for (int[] row : confusion) {
            sb.append(System.lineSeparator()).append(java.util.Arrays.toString(row));
        }
        System.out.println(sb);
        return (double) correct / total;
    }
}
