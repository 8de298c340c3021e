package dev.atelier.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedImageDecoderTest {
    @TempDir
    Path tmp;

    /** A valid 8-bit grey PNG of w x h black pixels; its rows compress to almost nothing. */
    static byte[] blackPng(int w, int h) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
            byte[] row = new byte[w + 1]; // filter byte 0 + w zero pixels
            for (int y = 0; y < h; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(png);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h8 = new DataOutputStream(ihdr);
        h8.writeInt(w);
        h8.writeInt(h);
        h8.write(new byte[] {8, 0, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    @Test
    void aSmallFileClaimingMoreThanTheLimitIsRefusedBeforeDecodingAndNamedInTheFolderError() throws Exception {
        // 10000 x 6401 = 64,010,000 pixels, just over the limit, in a file of about 60 KB
        byte[] bomb = blackPng(10_000, 6_401);
        assertThat(bomb.length).isLessThan(200_000);
        assertThatThrownBy(() -> BoundedImageDecoder.decode(bomb))
                .isInstanceOfSatisfying(
                        BoundedImageDecoder.Unreadable.class,
                        e -> assertThat(e.tooLarge()).isTrue())
                .hasMessage("the image is 10000x6401 pixels, over the limit of 64000000 pixels; downscale it");
        Path file = tmp.resolve("bomb.png");
        Files.write(file, bomb);
        assertThatThrownBy(() -> ImageFolderLoader.read(file))
                .isInstanceOf(DataException.class)
                .hasMessage(file + ": the image is 10000x6401 pixels, over the limit of 64000000 pixels;"
                        + " downscale it; replace or remove it");
    }

    @Test
    void imagesWithinTheLimitDecodeAndDamagedOrForeignBytesSayWhich() throws Exception {
        BufferedImage img = BoundedImageDecoder.decode(blackPng(40, 30));
        assertThat(img.getWidth()).isEqualTo(40);
        assertThat(img.getHeight()).isEqualTo(30);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "jpg", jpeg);
        assertThat(BoundedImageDecoder.decode(jpeg.toByteArray()).getWidth()).isEqualTo(8);

        byte[] truncated = java.util.Arrays.copyOf(blackPng(40, 30), 45);
        assertThatThrownBy(() -> BoundedImageDecoder.decode(truncated))
                .isInstanceOfSatisfying(
                        BoundedImageDecoder.Unreadable.class,
                        e -> assertThat(e.tooLarge()).isFalse())
                .hasMessageStartingWith("not a readable image, it is damaged or truncated (");
        assertThatThrownBy(() -> BoundedImageDecoder.decode("hello".getBytes(StandardCharsets.US_ASCII)))
                .hasMessage("not a PNG or JPEG image (no decoder recognises its contents)");
    }
}
