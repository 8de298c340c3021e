package dev.atelier.ml.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Helpers shared by the data tests: raw gzip files and copies of the committed fixture. */
final class TestFiles {

    private TestFiles() {}

    /** Writes {@code raw} gzip-compressed to {@code file}. */
    static Path gzip(Path file, byte[] raw) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(raw);
        }
        return file;
    }

    /** Copies the four fixture files from the classpath into {@code dir} (created if needed). */
    static Path copyFixture(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (FashionMnistFile f : FashionMnistFile.values()) {
            try (InputStream in =
                    FashionMnist.class.getResourceAsStream(FashionMnist.FIXTURE_RESOURCE_DIR + f.fileName())) {
                Files.copy(in, dir.resolve(f.fileName()));
            }
        }
        return dir;
    }

    /** Big-endian int32. */
    static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
