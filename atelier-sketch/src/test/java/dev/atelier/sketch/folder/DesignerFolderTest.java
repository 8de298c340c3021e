package dev.atelier.sketch.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.ml.data.DataException;
import dev.atelier.sketch.train.SketchPairs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesignerFolderTest {
    /** n pairs named p0..p(n-1), 28×28, plus the given extra garments and sketches (by base name). */
    static Path folder(Path dir, int n, List<String> extraGarments, List<String> extraSketches) throws Exception {
        for (int i = 0; i < n; i++) {
            FolderFixtures.garment(dir.resolve("images/p" + i + ".png"), 28, 28);
            FolderFixtures.sketch(dir.resolve("sketches/p" + i + ".png"), 28, 28);
        }
        for (String g : extraGarments) {
            FolderFixtures.garment(dir.resolve("images/" + g + ".png"), 28, 28);
        }
        for (String s : extraSketches) {
            FolderFixtures.sketch(dir.resolve("sketches/" + s + ".png"), 28, 28);
        }
        return dir;
    }

    @Test
    void aMisnamedFileIsLeftOutWithAWarningNamingItAndTheRestTrainPaired(@TempDir Path tmp) throws Exception {
        Path dir = folder(tmp, 5, List.of("coat"), List.of("coat-final"));
        DesignerFolder f = DesignerFolder.read(dir, FolderOptions.defaults());
        assertThat(f.errors()).isEmpty();
        assertThat(f.problems()).singleElement().satisfies(p -> {
            assertThat(p.severity()).isEqualTo(Problem.Severity.WARNING);
            assertThat(p.message())
                    .contains("5 matched pairs")
                    .contains("1 garments without a sketch (images/coat.png)")
                    .contains("1 sketches without a garment (sketches/coat-final.png)");
        });
        SketchPairs pairs = f.pairs();
        assertThat(pairs.paired()).isTrue();
        assertThat(pairs.size()).isEqualTo(5);
        CanvasTest.assertAligned(pairs.garments().get(0), pairs.sketches().get(0));
    }

    @Test
    void tooFewMatchesAreAnErrorNotASilentSwitchToUnpaired(@TempDir Path tmp) throws Exception {
        Path dir = folder(tmp, 1, List.of("a", "b", "c"), List.of("x", "y", "z"));
        DesignerFolder f = DesignerFolder.read(dir, FolderOptions.defaults());
        assertThat(f.errors())
                .singleElement()
                .satisfies(p -> assertThat(p.message())
                        .contains("only 1 garments have a sketch of the same name (need at least 2)")
                        .contains("images/a.png, images/b.png, images/c.png")
                        .contains("sketches/x.png")
                        .contains("--unpaired"));
        assertThatThrownBy(f::pairs).isInstanceOf(DataException.class).hasMessageContaining("images/a.png");
        SketchPairs unpaired = DesignerFolder.read(dir, FolderOptions.defaults().withUnpaired(true))
                .pairs();
        assertThat(unpaired.paired()).isFalse();
        assertThat(unpaired.garments()).hasSize(4);
        assertThat(unpaired.sketches()).hasSize(4);
    }

    @Test
    void unsketchedGarmentsTrainWhenAskedAndTheThresholdCountsHerSketches(@TempDir Path tmp) throws Exception {
        // 3 sketches for 10 garments: an error by default (3 of 10 matched), usable with --unsketched
        Path dir = folder(tmp, 3, List.of("a", "b", "c", "d", "e", "f", "g"), List.of("lost"));
        DesignerFolder plain = DesignerFolder.read(dir, FolderOptions.defaults());
        assertThat(plain.errors())
                .singleElement()
                .satisfies(p -> assertThat(p.message())
                        .contains("only 3 garments have a sketch of the same name (need at least 5)")
                        .contains("--unsketched"));
        DesignerFolder f = DesignerFolder.read(dir, FolderOptions.defaults().withUnsketched(true));
        assertThat(f.pairing().threshold()).isEqualTo(2);
        assertThat(f.errors()).isEmpty();
        // only the sketch without a garment is left out
        assertThat(f.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message())
                        .contains("1 sketches without a garment (sketches/lost.png)")
                        .doesNotContain("garments without a sketch"));
        SketchPairs pairs = f.pairs();
        assertThat(pairs.garments()).hasSize(3);
        assertThat(pairs.unsketched()).hasSize(7);
        assertThat(pairs.unsketched().get(0))
                .containsExactly(f.garments().get("a").read().pixels());
        assertThatThrownBy(() -> FolderOptions.defaults().withUnpaired(true).withUnsketched(true))
                .hasMessageContaining("unpaired training already uses every garment");
    }

    @Test
    void everyProblemIsCollectedWithItsFile(@TempDir Path tmp) throws Exception {
        Path dir = folder(tmp, 3, List.of(), List.of());
        FolderFixtures.sketch(dir.resolve("sketches/p2.jpg"), 28, 28);
        Files.write(dir.resolve("images/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0});
        Files.writeString(dir.resolve("images/notes.txt"), "hello");
        FolderFixtures.png(dir.resolve("images/blank.png"), 28, 28, (x, y) -> 0.3f);
        FolderFixtures.png(dir.resolve("sketches/blank.png"), 28, 28, (x, y) -> 0.3f);
        FolderFixtures.png(dir.resolve("images/wide.png"), 60, 20, (x, y) -> x > 20 ? 1f : 0f);
        FolderFixtures.png(dir.resolve("sketches/wide.png"), 20, 20, (x, y) -> x > 5 ? 0f : 1f);
        FolderFixtures.png(dir.resolve("images/photo.png"), 28, 28, (x, y) -> x == 3 ? 0f : 1f);
        FolderFixtures.sketch(dir.resolve("sketches/photo.png"), 28, 28);
        DesignerFolder f = DesignerFolder.read(dir, FolderOptions.defaults());
        List<String> lines = f.problems().stream().map(Problem::toString).toList();
        assertThat(lines)
                .anySatisfy(
                        l -> assertThat(l).startsWith("error: sketches/p2.jpg: has the same name as sketches/p2.png"))
                .anySatisfy(l ->
                        assertThat(l).startsWith("error: images/broken.png: ").contains("not a PNG or JPEG"))
                .anySatisfy(l -> assertThat(l).startsWith("warning: images/notes.txt: not a .png"))
                .anySatisfy(l -> assertThat(l).startsWith("warning: images/blank.png: looks blank"))
                .anySatisfy(l -> assertThat(l).startsWith("warning: sketches/blank.png: looks blank"))
                .anySatisfy(l -> assertThat(l)
                        .startsWith("warning: sketches/wide.png: is 20x20 but its garment images/wide.png is 60x20"))
                .anySatisfy(l -> assertThat(l).contains("images/photo.png").contains("--invert"))
                .anySatisfy(
                        l -> assertThat(l).startsWith("warning: sketches/: ").contains("sketches/blank.png"));
        assertThat(f.errors()).hasSize(2);
    }

    @Test
    void missingFoldersAreErrors(@TempDir Path tmp) {
        DesignerFolder f = DesignerFolder.read(tmp, FolderOptions.defaults());
        assertThat(f.errors()).extracting(Problem::file).containsExactly("images/", "sketches/");
        assertThatThrownBy(f::pairs).hasMessageContaining("images/ (garments)");
    }

    @Test
    void pairingThresholdIsAShareOfTheLargerFolder() {
        SortedMap<String, String> g = new TreeMap<>();
        SortedMap<String, String> s = new TreeMap<>();
        for (int i = 0; i < 10; i++) {
            g.put("n" + i, "images/n" + i + ".png");
            if (i < 5) {
                s.put("n" + i, "sketches/n" + i + ".png");
            }
        }
        Pairing half = Pairing.match(g, s, false, 0.5);
        assertThat(half.threshold()).isEqualTo(5);
        assertThat(half.usable()).isTrue();
        assertThat(half.garmentsOnly()).hasSize(5);
        Pairing strict = Pairing.match(g, s, false, 0.9);
        assertThat(strict.usable()).isFalse();
        assertThat(strict.problems().get(0).severity()).isEqualTo(Problem.Severity.ERROR);
        assertThat(Pairing.match(g, s, true, 0.9).problems()).isEmpty();
        assertThatThrownBy(() -> Pairing.match(g, s, false, 0)).hasMessageContaining("(0, 1]");
    }

    @Test
    void imagesSmallerThanTheCanvasContentAreaAreNamedAsScaledUp(@TempDir Path tmp) throws Exception {
        FolderFixtures.garment(tmp.resolve("images/exact.png"), 64, 64);
        FolderFixtures.sketch(tmp.resolve("sketches/exact.png"), 64, 64);
        FolderFixtures.garment(tmp.resolve("images/big.png"), 100, 80);
        FolderFixtures.sketch(tmp.resolve("sketches/big.png"), 100, 80);
        FolderFixtures.garment(tmp.resolve("images/thumb.png"), 40, 30);
        FolderFixtures.sketch(tmp.resolve("sketches/thumb.png"), 40, 30);
        FolderFixtures.garment(tmp.resolve("images/edge.png"), 56, 20);
        FolderFixtures.sketch(tmp.resolve("sketches/edge.png"), 56, 20);

        DesignerFolder at64 = DesignerFolder.read(tmp, FolderOptions.defaults().withCanvas(64));
        List<String> lines = at64.problems().stream().map(Problem::toString).toList();
        // 64x64 is on the canvas already, 100x80 is scaled down, 56 is the content side itself
        assertThat(lines)
                .filteredOn(l -> l.contains("scaled up"))
                .containsExactly(
                        "warning: images/: 1 of 4 images are smaller than the 56 px the 64 px canvas draws them at"
                                + " (longer side down to 40 px: images/thumb.png) and are scaled up, so they look"
                                + " blurred; use larger scans or a smaller --canvas",
                        "warning: sketches/: 1 of 4 images are smaller than the 56 px the 64 px canvas draws them at"
                                + " (longer side down to 40 px: sketches/thumb.png) and are scaled up, so they look"
                                + " blurred; use larger scans or a smaller --canvas");
        assertThat(at64.pairs().canvas()).isEqualTo(64);

        DesignerFolder at32 = DesignerFolder.read(tmp, FolderOptions.defaults());
        assertThat(at32.problems()).noneMatch(p -> p.message().contains("scaled up"));
        DesignerFolder at128 = DesignerFolder.read(tmp, FolderOptions.defaults().withCanvas(128));
        assertThat(at128.problems())
                .filteredOn(p -> p.message().contains("scaled up"))
                .hasSize(2)
                .allSatisfy(
                        p -> assertThat(p.message()).startsWith("4 of 4 images").contains("112 px"));
    }
}
