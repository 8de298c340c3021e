package dev.atelier.transport.wire;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers for chunk and payload checksums. Stateless and thread-safe. */
public final class Sha256 {
    /** Digest length in bytes. */
    public static final int BYTES = 32;

    private Sha256() {}

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256 implementation", e);
        }
    }

    public static byte[] of(byte[] data) {
        return newDigest().digest(data);
    }

    /** Digest of the remaining bytes of {@code data}; the buffer's position is not moved. */
    public static byte[] of(ByteBuffer data) {
        MessageDigest md = newDigest();
        md.update(data.duplicate());
        return md.digest();
    }

    /** Lower-case hex, e.g. for logs and instruction ids. */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** Constant-time comparison of two digests. */
    public static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
