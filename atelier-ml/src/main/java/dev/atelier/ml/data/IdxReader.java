package dev.atelier.ml.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.util.function.BiFunction;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads gzip-compressed IDX files (the MNIST/Fashion-MNIST container format).
 *
 * <p>Format: a big-endian header {@code 0x0000, type=0x08 (unsigned byte), ndims}, then {@code ndims}
 * big-endian int32 sizes, then the data. Images are {@code idx3-ubyte} (magic {@value #IMAGES_MAGIC},
 * shape {@code [n, rows, cols]}), labels are {@code idx1-ubyte} (magic {@value #LABELS_MAGIC}, shape
 * {@code [n]}). The whole stream must be exactly header + data: missing bytes mean a truncated file,
 * extra bytes mean a file that is not what its header claims.
 *
 * <p>While reading, the SHA-256 of the <em>decompressed</em> bytes is computed, so callers can verify
 * content without a second pass. Errors are {@link DataException}s whose one-line message starts with
 * the file name and says what is wrong; callers append what the user should do.
 *
 * <p>Thread-safety: stateless; all methods may be called concurrently.
 */
public final class IdxReader {

    /** Magic number of an unsigned-byte 3-D IDX file (images). */
    public static final int IMAGES_MAGIC = 0x00000803;

    /** Magic number of an unsigned-byte 1-D IDX file (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    /** Refuse headers whose data would not fit in one Java array. */
    private static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 16L;

    private IdxReader() {}

    /** Decoded images {@code [count, rows, cols]} with the SHA-256 (hex) of the decompressed file. */
    public record Images(int count, int rows, int cols, byte[] pixels, String contentSha256) {}

    /** Decoded labels {@code [count]} (0..255) with the SHA-256 (hex) of the decompressed file. */
    public record Labels(int count, int[] labels, String contentSha256) {}

    /** Reads a gzip'd idx3-ubyte image file. */
    public static Images readImages(Path gzFile) {
        return read(gzFile, IdxReader::readImages);
    }

    /** Reads a gzip'd idx1-ubyte label file. */
    public static Labels readLabels(Path gzFile) {
        return read(gzFile, IdxReader::readLabels);
    }

    /** Opens {@code gzFile} and decodes it with {@code decode(stream, name)}; open failures become one-line errors. */
    private static <T> T read(Path gzFile, BiFunction<InputStream, String, T> decode) {
        try (InputStream in = Files.newInputStream(gzFile)) {
            return decode.apply(in, gzFile.toString());
        } catch (NoSuchFileException e) {
            throw new DataException(gzFile + ": file not found");
        } catch (IOException e) {
            throw new DataException(gzFile + ": cannot open (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads a gzip'd idx3-ubyte image stream; {@code name} is used in error messages. The stream is not
     * closed.
     */
    public static Images readImages(InputStream gzipped, String name) {
        return read(gzipped, name, (in, digest) -> {
            int magic = in.readInt();
            requireMagic(name, magic, IMAGES_MAGIC, "image (idx3-ubyte)");
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count < 0 || rows <= 0 || cols <= 0 || (long) count * rows * cols > MAX_DATA_BYTES) {
                throw new DataException(
                        name + ": corrupt header, shape [" + count + ", " + rows + ", " + cols + "] is impossible");
            }
            byte[] pixels = new byte[count * rows * cols];
            readData(in, pixels, name, count + " images of " + rows + "x" + cols);
            requireEnd(in, name);
            return new Images(
                    count,
                    rows,
                    cols,
                    pixels,
                    Checksums.hex(digest.getMessageDigest().digest()));
        });
    }

    /**
     * Reads a gzip'd idx1-ubyte label stream; {@code name} is used in error messages. The stream is not
     * closed.
     */
    public static Labels readLabels(InputStream gzipped, String name) {
        return read(gzipped, name, (in, digest) -> {
            int magic = in.readInt();
            requireMagic(name, magic, LABELS_MAGIC, "label (idx1-ubyte)");
            int count = in.readInt();
            if (count < 0) {
                throw new DataException(name + ": corrupt header, label count " + count + " is negative");
            }
            byte[] raw = new byte[count];
            readData(in, raw, name, count + " labels");
            requireEnd(in, name);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = Byte.toUnsignedInt(raw[i]);
            }
            return new Labels(
                    count, labels, Checksums.hex(digest.getMessageDigest().digest()));
        });
    }

    private interface Body<T> {
        T parse(DataInputStream in, DigestInputStream digest) throws IOException;
    }

    private static <T> T read(InputStream gzipped, String name, Body<T> body) {
        try {
            GZIPInputStream gunzip = new GZIPInputStream(gzipped, 1 << 16);
            DigestInputStream digest = new DigestInputStream(gunzip, Checksums.newSha256());
            DataInputStream in = new DataInputStream(new BufferedInputStream(digest, 1 << 16));
            return body.parse(in, digest);
        } catch (EOFException e) {
            throw new DataException(name + ": file is truncated (ends inside the header or gzip trailer)", e);
        } catch (ZipException e) {
            throw new DataException(
                    name + ": not a valid gzip file (" + e.getMessage() + "), it is corrupt or not compressed", e);
        } catch (IOException e) {
            throw new DataException(name + ": read failed (" + e.getMessage() + ")", e);
        }
    }

    private static void requireMagic(String name, int actual, int expected, String kind) {
        if (actual != expected) {
            throw new DataException(String.format(
                    "%s: wrong magic number 0x%08X, an IDX %s file starts with 0x%08X", name, actual, kind, expected));
        }
    }

    private static void readData(DataInputStream in, byte[] into, String name, String what) throws IOException {
        int off = 0;
        while (off < into.length) {
            int n;
            try {
                n = in.read(into, off, into.length - off);
            } catch (EOFException e) {
                n = -1; // GZIPInputStream signals a cut-off deflate stream this way
            }
            if (n < 0) {
                throw new DataException(name + ": file is truncated, header promises " + what + " (" + into.length
                        + " bytes) but the data ends after " + off + " bytes");
            }
            off += n;
        }
    }

    private static void requireEnd(DataInputStream in, String name) throws IOException {
        byte[] buf = new byte[8192];
        long extra = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            extra += n;
        }
        if (extra > 0) {
            throw new DataException(name + ": " + extra
                    + " unexpected bytes after the data the header describes, the file is not a valid IDX file");
        }
    }
}
