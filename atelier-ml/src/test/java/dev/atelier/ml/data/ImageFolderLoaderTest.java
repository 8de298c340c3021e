package dev.atelier.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SortedMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderLoaderTest {

    @TempDir
    Path tmp;

    private static BufferedImage gray(int w, int h, int value) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, value);
            }
        }
        return img;
    }

    private static BufferedImage rgb(int w, int h, int argb, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, argb);
            }
        }
        return img;
    }

    private static Path write(BufferedImage img, String format, Path file) throws Exception {
        Files.createDirectories(file.getParent());
        assertThat(ImageIO.write(img, format, file.toFile())).isTrue();
        return file;
    }

    @Test
    void loadsLabelledFoldersWithSortedLabelsAndGrayscaleValues() throws Exception {
        Path dir = tmp.resolve("images");
        write(gray(56, 56, 200), "png", dir.resolve("shirt/a.png"));
        write(gray(10, 30, 40), "png", dir.resolve("shirt/b.png"));
        write(rgb(20, 20, 0xFFFF0000, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("bag/red.PNG"));
        write(rgb(20, 20, 0xFFFFFFFF, BufferedImage.TYPE_INT_RGB), "jpg", dir.resolve("bag/w.jpeg"));
        Files.writeString(dir.resolve("bag/notes.txt"), "ignored");
        Files.writeString(dir.resolve("README"), "ignored");
        Files.createDirectories(dir.resolve(".hidden"));

        ImageDataset data = ImageFolderLoader.of(28, 28).loadLabelled(dir);

        assertThat(data.classNames()).containsExactly("bag", "shirt");
        assertThat(data.labels()).containsExactly(0, 0, 1, 1);
        assertThat(data.height()).isEqualTo(28);
        assertThat(data.width()).isEqualTo(28);
        assertThat(data.image(0)).containsOnly(76 / 255f); // Rec. 601 luma of pure red: 0.299 * 255
        assertThat(data.image(1)[0]).isCloseTo(1f, within(2 / 255f)); // white JPEG, lossy
        assertThat(data.image(2)).containsOnly(200 / 255f);
        assertThat(data.image(3)).containsOnly(40 / 255f);
    }

    @Test
    void labelsComeFromTheDeclaredClassListNotFromWhichFoldersExist() throws Exception {
        Path dir = tmp.resolve("partial");
        // a node holding only two of the ten Fashion-MNIST classes, named both ways
        write(gray(28, 28, 10), "png", dir.resolve("7-Sneaker/a.png"));
        write(gray(28, 28, 20), "png", dir.resolve("T-shirt-top/b.png"));
        ImageDataset data = ImageFolderLoader.of(28, 28).loadLabelled(dir, FashionMnist.CLASS_NAMES);
        assertThat(data.classNames()).isEqualTo(FashionMnist.CLASS_NAMES);
        // sorted folders are "7-Sneaker", "T-shirt-top": labels 7 and 0, not 0 and 1
        assertThat(data.labels()).containsExactly(7, 0);
        // by folder order alone the same node would have called its sneakers label 0
        assertThat(ImageFolderLoader.of(28, 28).loadLabelled(dir).labels()).containsExactly(0, 1);
    }

    @Test
    void foldersThatDoNotMatchTheDeclaredClassesAreErrors() throws Exception {
        ImageFolderLoader loader = ImageFolderLoader.of(28, 28);
        Path unknown = tmp.resolve("unknown");
        write(gray(28, 28, 10), "png", unknown.resolve("Sneakers/a.png"));
        assertThatThrownBy(() -> loader.loadLabelled(unknown, FashionMnist.CLASS_NAMES))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("folder 'Sneakers' in " + unknown
                        + " is not one of the declared classes [0-T-shirt-top, 1-Trouser,")
                .hasMessageEndingWith("(a folder is named CLASS or INDEX-CLASS)");
        Path wrongNumber = tmp.resolve("wrong-number");
        write(gray(28, 28, 10), "png", wrongNumber.resolve("3-Sneaker/a.png"));
        assertThatThrownBy(() -> loader.loadLabelled(wrongNumber, FashionMnist.CLASS_NAMES))
                .hasMessageContaining("names class 3 by number but 'Sneaker' (class 7) by name; rename it 7-Sneaker");
        Path twice = tmp.resolve("twice");
        write(gray(28, 28, 10), "png", twice.resolve("7-Sneaker/a.png"));
        write(gray(28, 28, 10), "png", twice.resolve("Sneaker/b.png"));
        assertThatThrownBy(() -> loader.loadLabelled(twice, FashionMnist.CLASS_NAMES))
                .hasMessageContaining("folders '7-Sneaker' and 'Sneaker' in " + twice + " both name class 7 'Sneaker'");
    }

    @Test
    void areaAveragingShrinksExactly() throws Exception {
        // 4x4: left half black, right half white; top-right pixel gray 100
        BufferedImage img = gray(4, 4, 0);
        for (int y = 0; y < 4; y++) {
            for (int x = 2; x < 4; x++) {
                img.getRaster().setSample(x, y, 0, 255);
            }
        }
        img.getRaster().setSample(3, 0, 0, 100);
        Path file = write(img, "png", tmp.resolve("half.png"));

        float[] two = ImageFolderLoader.of(2, 2).loadImage(file);
        float[] three = ImageFolderLoader.of(3, 1).loadImage(file);

        // top-right cell averages 255, 255, 255, 100
        assertThat(two).containsExactly(0f, Math.round((3 * 255 + 100) / 4f) / 255f, 0f, 1f);
        // output cells cover source columns [0, 4/3), [4/3, 8/3), [8/3, 4): the middle one is half
        // black, half white; the last is 1/4 of column 2 (white) and 3/4 of column 3 (mean 216.25)
        assertThat(three[0]).isZero();
        assertThat(three[1]).isCloseTo(127.5f / 255f, within(0.6f / 255f));
        assertThat(three[2]).isEqualTo(Math.round(0.25 * 255 + 0.75 * 216.25) / 255f);
    }

    @Test
    void enlargingReplicatesPixels() throws Exception {
        BufferedImage img = gray(2, 1, 0);
        img.getRaster().setSample(1, 0, 0, 255);
        Path file = write(img, "png", tmp.resolve("two.png"));

        float[] big = ImageFolderLoader.of(4, 2).loadImage(file);

        assertThat(big).containsExactly(0f, 0f, 1f, 1f, 0f, 0f, 1f, 1f);
    }

    @Test
    void sixteenBitGrayIsReadWithoutGammaShift() throws Exception {
        BufferedImage img = new BufferedImage(3, 3, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                img.getRaster().setSample(x, y, 0, 65535 / 4);
            }
        }
        Path file = write(img, "png", tmp.resolve("deep.png"));

        assertThat(ImageFolderLoader.of(3, 3).loadImage(file)).containsOnly(64 / 255f);
    }

    @Test
    void transparentPixelsBecomeWhiteAndInversionFlips() throws Exception {
        BufferedImage img = rgb(2, 1, 0x00000000, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(1, 0, 0xFF000000);
        Path file = write(img, "png", tmp.resolve("alpha.png"));

        assertThat(ImageFolderLoader.of(2, 1).loadImage(file)).containsExactly(1f, 0f);
        assertThat(ImageFolderLoader.of(2, 1).inverted().loadImage(file)).containsExactly(0f, 1f);
    }

    @Test
    void loadAllKeysImagesByFileName() throws Exception {
        Path dir = tmp.resolve("sketches");
        write(gray(8, 8, 10), "png", dir.resolve("b.png"));
        write(gray(8, 8, 20), "png", dir.resolve("a.png"));
        write(gray(8, 8, 30), "png", dir.resolve("nested/c.png"));
        Files.writeString(dir.resolve("list.csv"), "x");

        SortedMap<String, float[]> images = ImageFolderLoader.of(4, 4).loadAll(dir);

        assertThat(images.keySet()).containsExactly("a.png", "b.png");
        assertThat(images.get("a.png")).hasSize(16).containsOnly(20 / 255f);
    }

    @Test
    void corruptFileIsReportedByName() throws Exception {
        Path dir = tmp.resolve("images");
        write(gray(8, 8, 10), "png", dir.resolve("ok/a.png"));
        Path bad = dir.resolve("ok/bad.png");
        byte[] noise = new byte[300];
        new java.util.Random(4).nextBytes(noise);
        Files.write(bad, noise);

        assertThatThrownBy(() -> ImageFolderLoader.of(28, 28).loadLabelled(dir))
                .isInstanceOf(DataException.class)
                .hasMessage(bad + ": not a PNG or JPEG image (no decoder recognises its contents); "
                        + "replace or remove it");
    }

    @Test
    void truncatedPngIsReportedByNameOnOneLine() throws Exception {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        java.util.Random rnd = new java.util.Random(2);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, rnd.nextInt());
            }
        }
        Path whole = write(img, "png", tmp.resolve("whole.png"));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(tmp.resolve("cut.png"), Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> ImageFolderLoader.of(28, 28).loadImage(cut))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(cut + ": not a readable image, it is damaged or truncated (")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void folderWithoutLabelSubfoldersIsReported() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("flat"));
        write(gray(8, 8, 10), "png", dir.resolve("a.png"));

        assertThatThrownBy(() -> ImageFolderLoader.of(28, 28).loadLabelled(dir))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(dir + " has no label subfolders");
    }

    @Test
    void labelFoldersWithoutImagesAreReported() throws Exception {
        Path dir = tmp.resolve("empty");
        Files.createDirectories(dir.resolve("coat"));
        Files.writeString(dir.resolve("coat/readme.txt"), "x");

        assertThatThrownBy(() -> ImageFolderLoader.of(28, 28).loadLabelled(dir))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("no PNG/JPEG images found under " + dir);
    }

    @Test
    void missingFolderIsReported() {
        Path dir = tmp.resolve("nope");

        assertThatThrownBy(() -> ImageFolderLoader.of(28, 28).loadAll(dir))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(dir + " is not a folder");
    }
}
