package dev.atelier.sketch.style;

import static dev.atelier.sketch.style.SketchFormat.SKETCH_PIXELS;
import static dev.atelier.sketch.style.SketchFormat.SKETCH_SIDE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Behavioural checks for each style, on synthetic garments with known geometry. */
class StylesTest {

    /** A 16×20 rectangle garment of uniform brightness {@code v}, at garment x 6..21, y 4..23. */
    static float[] block(float v) {
        float[] g = new float[SketchFormat.GARMENT_PIXELS];
        for (int y = 4; y < 24; y++) {
            for (int x = 6; x < 22; x++) {
                g[y * SketchFormat.GARMENT_SIDE + x] = v;
            }
        }
        return g;
    }

    static int inkPixels(float[] sketch, float below) {
        int n = 0;
        for (float v : sketch) {
            n += v < below ? 1 : 0;
        }
        return n;
    }

    @Test
    void registryListsEightStylesInFixedOrder() {
        assertThat(Styles.names())
                .containsExactly("contour", "bold", "detail", "hatch", "stipple", "chalk", "blueprint", "wobbly");
        assertThat(Styles.all())
                .hasSize(8)
                .allSatisfy(s -> assertThat(s.description()).isNotBlank());
        assertThat(Styles.byName(" Hatch ")).isSameAs(Styles.HATCH);
        assertThatThrownBy(() -> Styles.byName("watercolour"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("watercolour")
                .hasMessageContaining("contour, bold");
    }

    @Test
    void everyStyleIsDeterministicSizedAndInRange() {
        float[][] garments = SyntheticGarments.batch(25, 11L);
        for (Styles s : Styles.values()) {
            for (float[] g : garments) {
                float[] a = s.render(g);
                float[] b = s.render(g.clone());
                assertThat(a).as(s.styleName()).hasSize(SKETCH_PIXELS).isEqualTo(b);
                for (float v : a) {
                    assertThat(v).as(s.styleName()).isBetween(0f, 1f);
                }
            }
        }
    }

    @Provide
    Arbitrary<float[]> noisyGarments() {
        // Sparse random pixels: a harsh case with many specks, holes and one-pixel features.
        return Arbitraries.floats()
                .between(0f, 1f)
                .map(v -> v < 0.5f ? 0f : v)
                .array(float[].class)
                .ofSize(SketchFormat.GARMENT_PIXELS);
    }

    @Property(tries = 40)
    void anyGarmentRendersDeterministicallyInRange(@ForAll("noisyGarments") float[] g) {
        for (Styles s : Styles.values()) {
            float[] a = s.render(g);
            assertThat(a).hasSize(SKETCH_PIXELS).isEqualTo(s.render(g));
            for (float v : a) {
                assertThat(v).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void inputIsNotModifiedAndBadInputIsRejected() {
        float[] g = SyntheticGarments.one(0, new SplittableRandom(3));
        float[] copy = g.clone();
        for (Styles s : Styles.values()) {
            s.render(g);
        }
        assertThat(g).isEqualTo(copy);
        assertThatThrownBy(() -> Styles.CONTOUR.render(new float[1024]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("784")
                .hasMessageContaining("1024");
        float[] nan = new float[784];
        nan[5] = Float.NaN;
        assertThatThrownBy(() -> Styles.BOLD.render(nan)).hasMessageContaining("NaN at index 5");
    }

    @Test
    void emptyGarmentGivesBlankPaper() {
        float[] empty = new float[784];
        for (Styles s : Styles.values()) {
            if (s == Styles.CHALK || s == Styles.BLUEPRINT) {
                continue;
            }
            assertThat(s.render(empty)).as(s.styleName()).containsOnly(1f);
        }
        assertThat(inkPixels(Styles.BLUEPRINT.render(empty), 0.9f)).isEqualTo(8 * 32 + 8 * 32 - 64);
    }

    @Test
    void contourIsTheOnePixelRectangleOutline() {
        float[] sketch = Styles.CONTOUR.render(block(0.8f));
        // 16×20 rectangle → perimeter pixels 2*16 + 2*20 - 4 = 68, all full ink.
        assertThat(inkPixels(sketch, 0.5f)).isEqualTo(68);
        assertThat(sketch[(4 + 2) * SKETCH_SIDE + 6 + 2]).isEqualTo(0f); // top-left corner
        assertThat(sketch[(14 + 2) * SKETCH_SIDE + 14 + 2]).isEqualTo(1f); // centre is paper
        assertThat(sketch[(3 + 2) * SKETCH_SIDE + 10 + 2]).isEqualTo(1f); // just outside is paper
    }

    @Test
    void boldHasAboutTwiceTheInkOfContour() {
        for (float[] g : SyntheticGarments.batch(20, 5L)) {
            int contour = inkPixels(Styles.CONTOUR.render(g), 0.5f);
            int bold = inkPixels(Styles.BOLD.render(g), 0.5f);
            assertThat(bold).isGreaterThan((int) (1.7 * contour));
        }
        // Rectangle: outer ring 18×22 perimeter (76) + inner ring (68) = 144 pixels.
        assertThat(inkPixels(Styles.BOLD.render(block(0.8f)), 0.5f)).isEqualTo(144);
    }

    @Test
    void detailDrawsInteriorEdgesThatContourIgnores() {
        float[] g = block(0.9f);
        for (int y = 4; y < 24; y++) {
            for (int x = 6; x < 14; x++) {
                g[y * SketchFormat.GARMENT_SIDE + x] = 0.3f; // left half darker: a vertical seam at x = 14
            }
        }
        float[] detail = Styles.DETAIL.render(g);
        float[] contour = Styles.CONTOUR.render(g);
        int seamColumnInk = 0;
        for (int y = 8 + 2; y < 20 + 2; y++) {
            boolean anyInk = false;
            for (int x = 13 + 2; x <= 14 + 2; x++) {
                anyInk |= detail[y * SKETCH_SIDE + x] < 0.7f;
                assertThat(contour[y * SKETCH_SIDE + x]).isEqualTo(1f);
            }
            seamColumnInk += anyInk ? 1 : 0;
        }
        assertThat(seamColumnInk).isEqualTo(12);
        assertThat(inkPixels(detail, 0.95f)).isGreaterThan(inkPixels(contour, 0.95f) + 30);
    }

    @Test
    void hatchCoversDarkAreasMoreThanBrightOnes() {
        int bright = inkPixels(Styles.HATCH.render(block(0.95f)), 0.5f);
        int dark = inkPixels(Styles.HATCH.render(block(0.2f)), 0.5f);
        int contour = inkPixels(Styles.CONTOUR.render(block(0.5f)), 0.5f);
        // Bright: contour + lower-right shadow band only; dark: hatched and cross-hatched throughout.
        assertThat(bright).isBetween(contour + 10, contour + 60);
        assertThat(dark).isGreaterThan(contour + 120);
    }

    @Test
    void stippleDensityIncreasesWithDarkness() {
        float[] levels = {0.9f, 0.7f, 0.5f, 0.3f, 0.1f};
        double[] density = new double[levels.length];
        for (int l = 0; l < levels.length; l++) {
            // Average over 8 garments (the block shifted down by 0..7 rows) to beat dot-count noise.
            int dots = 0;
            int inside = 0;
            for (int shift = 0; shift < 8; shift++) {
                float[] g = new float[SketchFormat.GARMENT_PIXELS];
                for (int y = shift; y < shift + 20; y++) {
                    for (int x = 2; x < 26; x++) {
                        g[y * SketchFormat.GARMENT_SIDE + x] = levels[l];
                    }
                }
                float[] sketch = Styles.STIPPLE.render(g);
                for (int y = shift + 3; y < shift + 20 + 1; y++) {
                    for (int x = 2 + 3; x < 26 + 1; x++) {
                        inside++;
                        dots += sketch[y * SKETCH_SIDE + x] == 0f ? 1 : 0;
                    }
                }
            }
            density[l] = (double) dots / inside;
        }
        System.out.println(
                "stipple dot density by brightness " + Arrays.toString(levels) + ": " + Arrays.toString(density));
        for (int l = 1; l < levels.length; l++) {
            assertThat(density[l]).as("dot density at brightness %s", levels[l]).isGreaterThan(density[l - 1] + 0.01);
        }
        assertThat(density[0]).isLessThan(0.08);
        assertThat(density[levels.length - 1]).isGreaterThan(0.18);
    }

    @Test
    void chalkIsLightOnDark() {
        float[] sketch = Styles.CHALK.render(block(0.7f));
        double background = 0;
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < SKETCH_SIDE; x++) {
                background += sketch[y * SKETCH_SIDE + x] / (4.0 * SKETCH_SIDE);
            }
        }
        assertThat(background).isLessThan(0.2);
        assertThat(sketch[(4 + 2) * SKETCH_SIDE + 10 + 2]).isGreaterThan(0.7f); // the top edge line
    }

    @Test
    void blueprintHasGridWhereTheGarmentIsAbsentOnly() {
        float[] sketch = Styles.BLUEPRINT.render(block(0.8f));
        int gridRow = BlueprintStyle.GRID_OFFSET; // row 1 lies above the garment (starts at row 6)
        for (int x = 0; x < SKETCH_SIDE; x++) {
            assertThat(sketch[gridRow * SKETCH_SIDE + x]).isEqualTo(BlueprintStyle.GRID_GREY);
            assertThat(sketch[(gridRow + 1) * SKETCH_SIDE + x]).isIn(1f, BlueprintStyle.GRID_GREY);
        }
        // Grid row 13 crosses the garment (x 8..23): grid outside, paper or axis inside.
        int row = 13;
        assertThat(sketch[row * SKETCH_SIDE + 2]).isEqualTo(BlueprintStyle.GRID_GREY);
        assertThat(sketch[row * SKETCH_SIDE + 12]).isEqualTo(1f);
    }

    @Test
    void wobblyDiffersFromContourButStaysCloseToIt() {
        double totalOverlap = 0;
        int differing = 0;
        float[][] garments = SyntheticGarments.batch(40, 9L);
        for (float[] g : garments) {
            float[] wobbly = Styles.WOBBLY.render(g);
            boolean[] contour = ImageOps.threshold(invert(Styles.CONTOUR.render(g)), 0.5f);
            boolean[] band = MaskOps.dilate(contour, SKETCH_SIDE, 1);
            int ink = 0;
            int near = 0;
            int off = 0;
            for (int i = 0; i < SKETCH_PIXELS; i++) {
                if (wobbly[i] < 0.9f) {
                    ink++;
                    near += band[i] ? 1 : 0;
                    off += contour[i] ? 0 : 1;
                }
            }
            totalOverlap += (double) near / ink / garments.length;
            differing += off > 0.15 * ink ? 1 : 0;
        }
        System.out.printf(
                "wobbly: %.3f of ink within 1 px of the contour; %d/40 garments leave it on > 15%% of pixels%n",
                totalOverlap, differing);
        assertThat(totalOverlap)
                .as("share of wobbly ink within 1 px of the contour")
                .isGreaterThan(0.85);
        assertThat(differing)
                .as("garments whose wobbly line leaves the contour on > 15 percent of its pixels")
                .isGreaterThanOrEqualTo(36);
    }

    private static float[] invert(float[] img) {
        float[] out = img.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = 1f - out[i];
        }
        return out;
    }

    @Test
    void differentGarmentsGiveDifferentSketches() {
        float[][] g = SyntheticGarments.batch(2, 1L);
        for (Styles s : Styles.values()) {
            assertThat(Arrays.equals(s.render(g[0]), s.render(g[1])))
                    .as(s.styleName())
                    .isFalse();
        }
    }
}
