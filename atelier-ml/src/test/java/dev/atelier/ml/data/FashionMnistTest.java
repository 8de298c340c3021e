package dev.atelier.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @TempDir
    Path tmp;

    @Test
    void fixtureHasBalancedCountsAndTheExpectedLabels() {
        FashionMnistData fixture = FashionMnist.loadFixture();

        assertThat(fixture.train().size()).isEqualTo(600);
        assertThat(fixture.test().size()).isEqualTo(200);
        assertThat(fixture.train().labelCounts()).containsOnly(60);
        assertThat(fixture.test().labelCounts()).containsOnly(20);
        assertThat(fixture.train().classNames()).isEqualTo(FashionMnist.CLASS_NAMES);
        assertThat(fixture.train().height()).isEqualTo(28);
        assertThat(fixture.train().width()).isEqualTo(28);
        // the first images of the official training and test files, in file order
        assertThat(java.util.Arrays.copyOf(fixture.train().labels(), 10)).containsExactly(9, 0, 0, 3, 0, 2, 7, 2, 5, 5);
        assertThat(java.util.Arrays.copyOf(fixture.test().labels(), 10)).containsExactly(9, 2, 1, 1, 6, 1, 4, 6, 5, 7);
        assertThat(fixture.source()).contains("fixture");
    }

    @Test
    void fixturePixelValuesMatchTheOfficialFirstImage() {
        ImageDataset train = FashionMnist.loadFixture().train();
        float[] first = train.image(0);
        double sum = 0;
        float max = 0;
        for (float v : first) {
            sum += v;
            max = Math.max(max, v);
        }

        assertThat(first).hasSize(784);
        assertThat(train.pixel(0, 14, 14)).isEqualTo(217);
        assertThat(first[14 * 28 + 14]).isEqualTo(217 / 255f);
        assertThat(first[0]).isZero();
        assertThat(max).isEqualTo(1f);
        assertThat(sum * 255).isCloseTo(76_247, org.assertj.core.data.Offset.offset(0.05));
    }

    @Test
    void fixtureIsLoadedOnceAndShared() {
        assertThat(FashionMnist.loadFixture()).isSameAs(FashionMnist.loadFixture());
    }

    @Test
    void readsAFolderWithStructureVerification() throws Exception {
        Path dir = TestFiles.copyFixture(tmp.resolve("data"));

        FashionMnistData data = FashionMnist.read(dir, FashionMnist.Verification.STRUCTURE);

        assertThat(data.train().size()).isEqualTo(600);
        assertThat(data.test().labels())
                .isEqualTo(FashionMnist.loadFixture().test().labels());
        assertThat(data.source()).isEqualTo(dir.toString());
    }

    @Test
    void officialVerificationRejectsTheFixtureBecauseOfItsCounts() throws Exception {
        Path dir = TestFiles.copyFixture(tmp.resolve("data"));

        assertThatThrownBy(() -> FashionMnist.read(dir, FashionMnist.Verification.OFFICIAL))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("train-images-idx3-ubyte.gz has 600 entries, the official file has " + "60000")
                .hasMessageContaining("dataset-fashion-mnist");
    }

    @Test
    void checksumMismatchNamesTheFileAndBothHashes() throws Exception {
        // right shape and count, wrong content: only the checksum can tell
        Path dir = Files.createDirectories(tmp.resolve("fake"));
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        IdxWriter.writeImages(images, new byte[60_000 * 784], 60_000, 28, 28);
        IdxWriter.writeLabels(dir.resolve("train-labels-idx1-ubyte.gz"), new int[60_000]);
        TestFiles.copyFixture(tmp.resolve("fixture"));
        for (FashionMnistFile f : new FashionMnistFile[] {FashionMnistFile.TEST_IMAGES, FashionMnistFile.TEST_LABELS}) {
            Files.copy(tmp.resolve("fixture").resolve(f.fileName()), dir.resolve(f.fileName()));
        }
        String actual = Checksums.sha256OfGzipContent(images);

        assertThatThrownBy(() -> FashionMnist.read(dir, FashionMnist.Verification.OFFICIAL))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(images + " does not match the official Fashion-MNIST release")
                .hasMessageContaining("is " + actual)
                .hasMessageContaining("expected " + FashionMnistFile.TRAIN_IMAGES.contentSha256())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void damagedFileErrorNamesTheFileAndTheRemedy() throws Exception {
        Path dir = TestFiles.copyFixture(tmp.resolve("data"));
        Path labels = dir.resolve("t10k-labels-idx1-ubyte.gz");
        byte[] bytes = Files.readAllBytes(labels);
        Files.write(labels, java.util.Arrays.copyOf(bytes, 20));

        assertThatThrownBy(() -> FashionMnist.read(dir, FashionMnist.Verification.STRUCTURE))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(labels.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("sudo apt-get install --reinstall dataset-fashion-mnist");
    }

    @Test
    void missingFileIsReported() throws Exception {
        Path dir = TestFiles.copyFixture(tmp.resolve("data"));
        Files.delete(dir.resolve("train-labels-idx1-ubyte.gz"));

        assertThatThrownBy(() -> FashionMnist.read(dir, FashionMnist.Verification.STRUCTURE))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(dir.resolve("train-labels-idx1-ubyte.gz") + ": file not found");
    }

    @Test
    void mismatchedImageAndLabelCountsAreReported() throws Exception {
        Path dir = TestFiles.copyFixture(tmp.resolve("data"));
        IdxWriter.writeLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"), new int[199]);

        assertThatThrownBy(() -> FashionMnist.read(dir, FashionMnist.Verification.STRUCTURE))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("has 200 images but")
                .hasMessageContaining("has 199 labels");
    }

    @Test
    void labelOutsideTheTenClassesIsReported() throws Exception {
        Path dir = TestFiles.copyFixture(tmp.resolve("data"));
        int[] labels = new int[200];
        labels[5] = 10;
        IdxWriter.writeLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"), labels);

        assertThatThrownBy(() -> FashionMnist.read(dir, FashionMnist.Verification.STRUCTURE))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("label 10 at index 5 is not a Fashion-MNIST class");
    }

    @Test
    void wrongImageSizeIsReported() throws Exception {
        Path dir = TestFiles.copyFixture(tmp.resolve("data"));
        IdxWriter.writeImages(dir.resolve("t10k-images-idx3-ubyte.gz"), new byte[200 * 32 * 32], 200, 32, 32);

        assertThatThrownBy(() -> FashionMnist.read(dir, FashionMnist.Verification.STRUCTURE))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("images are 32x32, Fashion-MNIST images are 28x28");
    }
}
