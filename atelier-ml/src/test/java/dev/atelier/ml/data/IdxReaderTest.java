package dev.atelier.ml.data;

import static dev.atelier.ml.data.TestFiles.concat;
import static dev.atelier.ml.data.TestFiles.gzip;
import static dev.atelier.ml.data.TestFiles.int32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path tmp;

    @Test
    void roundTripsImagesAndLabelsExactly() throws Exception {
        byte[] pixels = new byte[3 * 2 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 11);
        }
        Path images = tmp.resolve("images.gz");
        Path labels = tmp.resolve("labels.gz");
        IdxWriter.writeImages(images, pixels, 3, 2, 4);
        IdxWriter.writeLabels(labels, new int[] {0, 255, 7});

        IdxReader.Images img = IdxReader.readImages(images);
        IdxReader.Labels lab = IdxReader.readLabels(labels);

        assertThat(img.count()).isEqualTo(3);
        assertThat(img.rows()).isEqualTo(2);
        assertThat(img.cols()).isEqualTo(4);
        assertThat(img.pixels()).isEqualTo(pixels);
        assertThat(lab.labels()).containsExactly(0, 255, 7);
        assertThat(img.contentSha256()).isEqualTo(Checksums.sha256OfGzipContent(images));
        assertThat(lab.contentSha256()).isEqualTo(Checksums.sha256OfGzipContent(labels));
    }

    @Test
    void truncatedGzipIsReportedWithTheFileName() throws Exception {
        Path full = tmp.resolve("full.gz");
        byte[] pixels = new byte[50 * 28 * 28];
        new java.util.Random(1).nextBytes(pixels); // incompressible, so the gzip is long
        IdxWriter.writeImages(full, pixels, 50, 28, 28);
        byte[] bytes = Files.readAllBytes(full);
        Path cut = tmp.resolve("train-images-idx3-ubyte.gz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> IdxReader.readImages(cut))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(cut.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("50 images of 28x28")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void gzipCutInsideTheTrailerIsTruncated() throws Exception {
        Path full = tmp.resolve("labels.gz");
        IdxWriter.writeLabels(full, new int[] {1, 2, 3});
        byte[] bytes = Files.readAllBytes(full);
        Path cut = tmp.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 3));

        assertThatThrownBy(() -> IdxReader.readLabels(cut))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith(cut.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void headerPromisingMoreThanTheDataIsTruncated() throws Exception {
        Path file = gzip(tmp.resolve("short.gz"), concat(int32(IdxReader.LABELS_MAGIC), int32(10), new byte[4]));

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("header promises 10 labels")
                .hasMessageContaining("ends after 4 bytes");
    }

    @Test
    void wrongMagicNumberIsReported() throws Exception {
        Path labels = tmp.resolve("train-labels-idx1-ubyte.gz");
        IdxWriter.writeLabels(labels, new int[] {1, 2});

        assertThatThrownBy(() -> IdxReader.readImages(labels))
                .isInstanceOf(DataException.class)
                .hasMessage(labels + ": wrong magic number 0x00000801, an IDX image (idx3-ubyte) file "
                        + "starts with 0x00000803");
    }

    @Test
    void extraBytesAfterTheDataAreRejected() throws Exception {
        Path file = gzip(
                tmp.resolve("long.gz"), concat(int32(IdxReader.LABELS_MAGIC), int32(2), new byte[] {1, 2, 3, 4, 5}));

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("3 unexpected bytes");
    }

    @Test
    void fileThatIsNotGzipIsReported() throws Exception {
        Path file = Files.write(tmp.resolve("plain.gz"), concat(int32(IdxReader.LABELS_MAGIC), int32(0)));

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("not a valid gzip file");
    }

    @Test
    void impossibleShapeIsReported() throws Exception {
        Path file = gzip(
                tmp.resolve("huge.gz"),
                concat(int32(IdxReader.IMAGES_MAGIC), int32(1 << 20), int32(1 << 10), int32(1 << 10)));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("corrupt header");
    }

    @Test
    void missingFileIsReported() {
        Path nowhere = tmp.resolve("absent.gz");

        assertThatThrownBy(() -> IdxReader.readLabels(nowhere))
                .isInstanceOf(DataException.class)
                .hasMessage(nowhere + ": file not found");
    }
}
