package dev.atelier.core.util;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The one way Atelier derives a seed from another: {@link #derive(long, String, String)}.
 *
 * <p>A derived seed is keyed by what it is for ({@code purpose}, e.g. {@code "sampling"}) and by a
 * stable name of who it is for ({@code key}: a node id, a designer's name, a round number in
 * decimal) — never by a list position or {@link String#hashCode()}, so the same designer gets the
 * same stream whether it runs in a simulation (where it is the i-th of a list) or as a deployed node
 * (where it is alone), and on every JVM and language.
 *
 * <p>Algorithm (version 1, fixed: changing it changes every run's batches): the first 8 bytes,
 * read big-endian, of SHA-256 over
 *
 * <pre>
 *   base (8 bytes, big-endian two's complement)
 *   ‖ len(purpose) (4 bytes, big-endian) ‖ UTF-8(purpose)
 *   ‖ len(key)     (4 bytes, big-endian) ‖ UTF-8(key)
 * </pre>
 *
 * where the lengths count UTF-8 bytes. The length prefixes make ({@code "ab"}, {@code "c"}) and
 * ({@code "a"}, {@code "bc"}) different inputs. {@code SeedsTest} commits test vectors. Stateless and
 * thread-safe.
 */
public final class Seeds {
    private Seeds() {}

    /**
     * The seed for {@code purpose} of {@code key} under {@code base}.
     *
     * @param base    the seed it derives from (e.g. the run's seed)
     * @param purpose what the seed drives, a short constant such as {@code "sampling"} or
     *                {@code "batches"}; not null
     * @param key     the stable name it is for (node id, designer name, round number in decimal); not
     *                null, may be empty
     */
    public static long derive(long base, String purpose, String key) {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(key, "key");
        byte[] p = purpose.getBytes(StandardCharsets.UTF_8);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer in = ByteBuffer.allocate(Long.BYTES + Integer.BYTES + p.length + Integer.BYTES + k.length);
        in.putLong(base).putInt(p.length).put(p).putInt(k.length).put(k);
        return ByteBuffer.wrap(sha256().digest(in.array())).getLong();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's documented requirements).
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }
}
