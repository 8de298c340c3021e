package dev.atelier.sketch.style;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ImageOpsTest {

    static final int W = 8;

    static boolean[] point(int x, int y) {
        boolean[] m = new boolean[W * W];
        m[y * W + x] = true;
        return m;
    }

    @Test
    void dilateAndErodeUseSquareNeighbourhoods() {
        boolean[] d = MaskOps.dilate(point(3, 3), W, 1);
        assertThat(MaskOps.count(d)).isEqualTo(9);
        assertThat(MaskOps.count(MaskOps.dilate(point(0, 0), W, 2))).isEqualTo(9); // clipped at the corner
        assertThat(MaskOps.count(MaskOps.erode(d, W, 1))).isEqualTo(1);
        assertThat(MaskOps.erode(d, W, 1)[3 * W + 3]).isTrue();
    }

    @Test
    void innerBoundaryOfSquareIsItsPerimeter() {
        boolean[] sq = MaskOps.dilate(point(3, 3), W, 2); // 5×5
        assertThat(MaskOps.count(MaskOps.innerBoundary(sq, W))).isEqualTo(16);
        boolean[] full = new boolean[W * W];
        java.util.Arrays.fill(full, true);
        assertThat(MaskOps.count(MaskOps.innerBoundary(full, W))).isEqualTo(28); // image border counts as outside
    }

    @Test
    void fillHolesFillsSmallEnclosedHolesOnly() {
        boolean[] ring = MaskOps.minus(MaskOps.dilate(point(3, 3), W, 2), MaskOps.dilate(point(3, 3), W, 1));
        assertThat(MaskOps.count(MaskOps.fillHoles(ring, W, 9))).isEqualTo(25);
        assertThat(MaskOps.count(MaskOps.fillHoles(ring, W, 8))).isEqualTo(16);
        boolean[] open = ring.clone();
        open[1 * W + 3] = false; // gap in the top edge
        assertThat(MaskOps.count(MaskOps.fillHoles(open, W, 100))).isEqualTo(15);
    }

    @Test
    void sobelOfUnitStepIsFour() {
        float[] img = new float[W * W];
        for (int i = 0; i < img.length; i++) {
            img[i] = i % W >= 4 ? 1f : 0f;
        }
        float[] mag = ImageOps.sobelMagnitude(img, W);
        assertThat(mag[2 * W + 3]).isEqualTo(4f);
        assertThat(mag[2 * W + 4]).isEqualTo(4f);
        assertThat(mag[2 * W + 1]).isEqualTo(0f);
        assertThat(ImageOps.sobel(img, W)[0][2 * W + 3]).isEqualTo(4f); // brighter to the right → positive
    }

    @Test
    void blurPreservesConstantsAndMass() {
        float[] flat = ImageOps.filled(W * W, 0.4f);
        for (float v : ImageOps.gaussianBlur(flat, W, 1.3)) {
            assertThat(v).isCloseTo(0.4f, within(1e-6f));
        }
        float[] dot = new float[16 * 16];
        dot[8 * 16 + 8] = 1f;
        float sum = 0;
        for (float v : ImageOps.gaussianBlur(dot, 16, 1.0)) {
            sum += v;
        }
        assertThat(sum).isCloseTo(1f, within(1e-5f));
    }

    @Test
    void maskedBlurIgnoresOutsidePixels() {
        float[] img = ImageOps.filled(W * W, 0.6f);
        boolean[] mask = MaskOps.dilate(point(3, 3), W, 2);
        float[] out = ImageOps.maskedBlur(img, mask, W, 1.5);
        assertThat(out[1 * W + 1]).isCloseTo(0.6f, within(1e-5f)); // corner of the mask, not darkened
        assertThat(out[0]).isEqualTo(0f);
    }

    @Test
    void bilinearSamplingAndResampling() {
        float[] img = {0f, 1f, 2f, 3f}; // 2×2
        assertThat(ImageOps.sampleBilinear(img, 2, 0.5, 0.5)).isEqualTo(1.5f);
        assertThat(ImageOps.sampleBilinear(img, 2, -3, 0)).isEqualTo(0f);
        float[] up = ImageOps.resampleBilinear(img, 2, 4, 4);
        assertThat(up[0]).isEqualTo(0f);
        assertThat(up[15]).isEqualTo(3f);
        assertThat(up[1 * 4 + 1]).isEqualTo(0.75f);
    }

    @Test
    void drawLineHitsEndpointsAndClips() {
        boolean[] m = new boolean[W * W];
        MaskOps.drawLine(m, W, 0, 0, 7, 7);
        assertThat(MaskOps.count(m)).isEqualTo(8);
        boolean[] c = new boolean[W * W];
        MaskOps.drawLine(c, W, -5, 2, 20, 2);
        assertThat(MaskOps.count(c)).isEqualTo(8);
    }

    @Test
    void smoothNoiseIsBoundedAndSeeded() {
        float[] a = ImageOps.smoothNoise(32, 32, 3.0, new SplittableRandom(4));
        float[] b = ImageOps.smoothNoise(32, 32, 3.0, new SplittableRandom(4));
        assertThat(a).isEqualTo(b);
        double mean = 0;
        double sq = 0;
        for (float v : a) {
            mean += v / 1024.0;
            sq += v * v / 1024.0;
        }
        assertThat(mean).isCloseTo(0, within(1e-5));
        assertThat(Math.sqrt(sq)).isCloseTo(1, within(1e-4));
        // Smooth: neighbouring values differ far less than the full range.
        assertThat(Math.abs(a[100] - a[101])).isLessThan(1f);
    }

    @Property(tries = 200)
    void contentSeedIgnoresSubQuantisationNoise(
            @ForAll @IntRange(min = 0, max = 255) int level, @ForAll @IntRange(min = 0, max = 783) int where) {
        float[] a = new float[784];
        a[where] = level / 255f;
        float[] b = a.clone();
        b[where] = level * (1f / 255f) + 1e-5f;
        assertThat(ImageOps.contentSeed(a)).isEqualTo(ImageOps.contentSeed(b));
        float[] c = a.clone();
        c[(where + 1) % 784] = 1f;
        assertThat(ImageOps.contentSeed(c)).isNotEqualTo(ImageOps.contentSeed(a));
    }
}
