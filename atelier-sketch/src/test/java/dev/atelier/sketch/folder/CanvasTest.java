package dev.atelier.sketch.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.ml.data.DataException;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.sketch.style.SketchFormat;
import dev.atelier.sketch.style.Styles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanvasTest {
    /**
     * The fixture's sketch is exactly {@code 1 − garment} of the same drawing, so on an aligned canvas
     * every pixel (margins included: black ground vs white paper) satisfies {@code s = 1 − g}, up to
     * the files' 8-bit quantisation.
     */
    static void assertAligned(float[] garment, float[] sketch) {
        assertThat(garment).hasSize(1024);
        assertThat(sketch).hasSize(1024);
        int shape = 0;
        for (int i = 0; i < 1024; i++) {
            assertThat(garment[i] + sketch[i])
                    .as("pixel (%d, %d): garment %.3f, sketch %.3f", i % 32, i / 32, garment[i], sketch[i])
                    .isCloseTo(1f, within(1.01f / 255));
            shape += garment[i] > 0.5f ? 1 : 0;
        }
        assertThat(shape).as("the drawing covers part of the canvas").isBetween(30, 500);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"28,28", "56,56", "256,256", "100,50", "20,40", "30,30"})
    void aGarmentAndItsSketchOfTheSameSizeLandOnTheSamePixels(int w, int h, @TempDir Path tmp) throws Exception {
        float[] g = Canvas.garment(FolderFixtures.garment(tmp.resolve("g.png"), w, h), false);
        float[] s = Canvas.sketch(FolderFixtures.sketch(tmp.resolve("s.png"), w, h));
        assertAligned(g, s);
    }

    @Test
    void aTwentyEightPixelImageGetsFashionMnistsTwoPixelMarginAsPadGarmentDoes(@TempDir Path tmp) throws Exception {
        float[] garment28 = FashionMnist.loadFixture().train().image(3);
        Path file = FolderFixtures.png(tmp.resolve("g.png"), 28, 28, (x, y) -> garment28[y * 28 + x]);
        assertThat(Canvas.garment(file, false)).containsExactly(SketchFormat.padGarment(garment28));
    }

    @Test
    void theBuiltInFormatOf28PxGarmentsAnd32PxSketchesStaysAligned(@TempDir Path tmp) throws Exception {
        float[] garment28 = FashionMnist.loadFixture().train().image(5);
        float[] sketch32 = Styles.BOLD.render(garment28);
        Path g = FolderFixtures.png(tmp.resolve("g.png"), 28, 28, (x, y) -> garment28[y * 28 + x]);
        Path s = FolderFixtures.png(tmp.resolve("s.png"), 32, 32, (x, y) -> sketch32[y * 32 + x]);
        float[] gc = Canvas.garment(g, false);
        float[] sc = Canvas.sketch(s);
        assertThat(gc).containsExactly(SketchFormat.padGarment(garment28));
        for (int i = 0; i < 1024; i++) {
            assertThat(sc[i]).isCloseTo(sketch32[i], within(0.5f / 255));
        }
    }

    @Test
    void paddingUsesEachKindsBackground(@TempDir Path tmp) throws Exception {
        // a chalk-like sketch: light lines on a dark board keeps its dark ground in the margin
        Path chalk = FolderFixtures.png(tmp.resolve("c.png"), 28, 28, (x, y) -> x == 14 ? 0.9f : 0.1f);
        float[] c = Canvas.sketch(chalk);
        assertThat(c[0]).isCloseTo(0.1f, within(0.01f));
        Path photo = FolderFixtures.png(tmp.resolve("p.png"), 28, 28, (x, y) -> x == 14 ? 0.1f : 0.9f);
        float[] inverted = Canvas.garment(photo, true);
        assertThat(inverted[0]).isZero();
        assertThat(inverted[2 * 32 + 2]).isCloseTo(0.1f, within(0.01f));
    }

    @Test
    void contentSizeKeepsTheAspectRatioAndLeavesCanvasSizedImagesAlone() {
        assertThat(Canvas.contentSize(new Canvas.Size(32, 32))).isEqualTo(new Canvas.Size(32, 32));
        assertThat(Canvas.contentSize(new Canvas.Size(28, 28))).isEqualTo(new Canvas.Size(28, 28));
        assertThat(Canvas.contentSize(new Canvas.Size(640, 480))).isEqualTo(new Canvas.Size(28, 21));
        assertThat(Canvas.contentSize(new Canvas.Size(10, 1000))).isEqualTo(new Canvas.Size(1, 28));
        assertThatThrownBy(() -> Canvas.place(new float[33 * 2], new Canvas.Size(33, 2), 0f))
                .hasMessageContaining("does not fit");
    }

    @Test
    void largerCanvasesKeepTheSameMarginRatio(@TempDir Path tmp) throws Exception {
        assertThat(Canvas.content(32)).isEqualTo(28);
        assertThat(Canvas.content(128)).isEqualTo(112);
        assertThat(Canvas.content(256)).isEqualTo(224);
        assertThat(Canvas.contentSize(new Canvas.Size(640, 480), 128)).isEqualTo(new Canvas.Size(112, 84));
        assertThat(Canvas.contentSize(new Canvas.Size(128, 128), 128)).isEqualTo(new Canvas.Size(128, 128));
        assertThatThrownBy(() -> Canvas.checkSide(100)).hasMessageContaining("multiple of 8");
        assertThatThrownBy(() -> Canvas.checkSide(16)).hasMessageContaining("32..512");
        assertThatThrownBy(() -> new FolderOptions(false, false, 0.5, 1000)).hasMessageContaining("got 1000");
        // a 28x28 garment on the 128 canvas: scaled ×4 to 112 px, 8 px margin of background 0
        Path g = FolderFixtures.garment(tmp.resolve("g.png"), 28, 28);
        float[] small = Canvas.garment(g, false);
        float[] big = Canvas.garment(g, false, 128);
        assertThat(big).hasSize(128 * 128);
        for (int i = 0; i < 128; i++) {
            assertThat(big[7 * 128 + i]).isZero();
            assertThat(big[i * 128 + 120]).isZero();
        }
        // each 32 px pixel of the content is a 4×4 block of equal values on the 128 canvas
        for (int y = 2; y < 30; y++) {
            for (int x = 2; x < 30; x++) {
                assertThat(big[(4 * y + 1) * 128 + 4 * x + 2]).isCloseTo(small[y * 32 + x], within(1e-6f));
            }
        }
    }

    @Test
    void anUnreadableFileFailsNamingIt(@TempDir Path tmp) throws Exception {
        Path bad = Files.write(tmp.resolve("bad.png"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Canvas.sketch(bad))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("bad.png");
    }
}
