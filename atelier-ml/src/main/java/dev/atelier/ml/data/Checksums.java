package dev.atelier.ml.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * SHA-256 helpers. Hashes are lower-case hex strings of 64 characters.
 *
 * <p>Thread-safety: stateless; all methods may be called concurrently.
 */
public final class Checksums {

    private Checksums() {}

    /** SHA-256 of a file's bytes as stored. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    /** SHA-256 of the bytes a gzip file decompresses to. */
    public static String sha256OfGzipContent(Path gzFile) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gzFile), 1 << 16)) {
            return sha256(in);
        }
    }

    /** SHA-256 of everything remaining in the stream; the stream is not closed. */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest md = newSha256();
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) >= 0; ) {
            md.update(buf, 0, n);
        }
        return hex(md.digest());
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // every Java platform is required to provide SHA-256
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
