package dev.atelier.studio.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads are checked by content and size, and claimed names never become paths. */
class PairUploadTest {
    @TempDir
    Path tmp;

    static byte[] png(int side) throws Exception {
        var img = new java.awt.image.BufferedImage(side, side, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(1, 1, 0, 200);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    static byte[] jpeg(int side) throws Exception {
        var img = new java.awt.image.BufferedImage(side, side, java.awt.image.BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void typeComesFromTheBytesAndNamesAreReducedToALastSafeSegment() throws Exception {
        Path dir = tmp.resolve("f1");
        PairUpload up = new PairUpload(dir, UploadLimits.DEFAULTS);
        up.add("images", "../../etc/passwd.png", new ByteArrayInputStream(png(8)));
        up.add("images", "summer dress.png", new ByteArrayInputStream(jpeg(8))); // a JPEG named .png
        up.add("images", "notes.png", new ByteArrayInputStream("hello".getBytes()));
        up.add("sketches", "passwd.jpeg", new ByteArrayInputStream(png(8)));
        up.add("sketches", "passwd.png", new ByteArrayInputStream(png(8)));
        assertThat(files(tmp))
                .containsExactly(
                        dir.resolve("images/passwd.png"),
                        dir.resolve("images/summer_dress.jpg"),
                        dir.resolve("sketches/passwd.png"));
        assertThat(up.notes())
                .extracting(PairUpload.Note::message)
                .containsExactly(
                        "stored as images/passwd.png",
                        "stored as images/summer_dress.jpg",
                        "refused: not a PNG or JPEG image (checked by its content, not its name)",
                        "stored as sketches/passwd.png",
                        "refused: has the same name as sketches/passwd.png (extensions are ignored); rename one");
    }

    @Test
    void aDamagedImageWithARealHeaderAndAnOversizeFileAreRefused() throws Exception {
        byte[] good = png(8);
        byte[] damaged = java.util.Arrays.copyOf(good, 40); // PNG magic, truncated body
        PairUpload up = new PairUpload(tmp.resolve("f1"), new UploadLimits(200, 10, 1000, 1000));
        up.add("images", "cut.png", new ByteArrayInputStream(damaged));
        up.add("images", "big.png", new ByteArrayInputStream(new byte[201]));
        assertThat(up.notes())
                .extracting(PairUpload.Note::message)
                .satisfiesExactly(
                        m -> assertThat(m).startsWith("refused: damaged PNG file"),
                        m -> assertThat(m).isEqualTo("refused: larger than the 0.0 MiB limit"));
        assertThat(up.stored()).isZero();
    }

    @Test
    void zipEntriesCountOnlyInsideImagesAndSketchesAndNeverEscape() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (String name : List.of(
                    "her-folder/images/look-1.png",
                    "her-folder/sketches/look-1.png",
                    "../../images/evil.png",
                    "her-folder/images/../../../x.png",
                    "__MACOSX/images/._look-1.png",
                    "readme.txt")) {
                z.putNextEntry(new ZipEntry(name));
                z.write(png(8));
                z.closeEntry();
            }
        }
        Path dir = tmp.resolve("f1");
        PairUpload up = new PairUpload(dir, UploadLimits.DEFAULTS);
        up.addZip("pairs.zip", new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(files(tmp))
                .containsExactly(
                        dir.resolve("images/evil.png"),
                        dir.resolve("images/look-1.png"),
                        dir.resolve("sketches/look-1.png"));
        assertThat(up.notes())
                .filteredOn(n -> !n.accepted())
                .extracting(PairUpload.Note::file)
                .containsExactly("her-folder/images/../../../x.png", "readme.txt");
    }

    @Test
    void aZipThatUnpacksBeyondTheLimitStopsThere() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (int i = 0; i < 5; i++) {
                z.putNextEntry(new ZipEntry("images/zeros-" + i + ".png"));
                z.write(new byte[3000]); // compresses to almost nothing
                z.closeEntry();
            }
        }
        PairUpload up = new PairUpload(tmp.resolve("f1"), new UploadLimits(4000, 100, 8000, 8000));
        up.addZip("bomb.zip", new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(up.notes())
                .last()
                .extracting(PairUpload.Note::message)
                .asString()
                .startsWith("refused the rest: the zip unpacks to more than");
        PairUpload notZip = new PairUpload(tmp.resolve("f2"), UploadLimits.DEFAULTS);
        notZip.addZip("x.zip", new ByteArrayInputStream("plain text".getBytes()));
        assertThat(notZip.notes())
                .extracting(PairUpload.Note::message)
                .containsExactly("refused: not a zip archive, or an empty one");
    }
}
