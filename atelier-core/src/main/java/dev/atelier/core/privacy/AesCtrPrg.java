package dev.atelier.core.privacy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A pseudorandom generator: AES-256 in counter mode keyed by a 32-byte seed, zero IV, output the
 * keystream (the encryption of zeros). It expands SecAgg mask seeds into mask vectors over
 * {@code Z_{2^32}} and drives tests reproducibly. Each seed must be used for one stream only
 * (SecAgg derives a fresh seed per pair, per round). Not thread-safe.
 */
public final class AesCtrPrg implements RandomBits {
    private static final int BLOCK = 4096;
    private final Cipher cipher;
    private final ByteBuffer buffer = ByteBuffer.allocate(BLOCK).order(ByteOrder.LITTLE_ENDIAN);
    private final byte[] zeros = new byte[BLOCK];

    /** @param seed exactly 32 bytes of secret randomness (copied) */
    public AesCtrPrg(byte[] seed) {
        if (seed.length != 32) {
            throw new IllegalArgumentException("PRG seed must be 32 bytes, got " + seed.length);
        }
        try {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed.clone(), "AES"), new IvParameterSpec(new byte[16]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is not available in this JDK: " + e.getMessage(), e);
        }
        buffer.limit(0);
    }

    @Override
    public long nextLong() {
        if (buffer.remaining() < 8) {
            refill();
        }
        return buffer.getLong();
    }

    /** The next {@code n} 32-bit words: a uniform vector over {@code Z_{2^32}} (as Java ints, arithmetic wraps). */
    public int[] nextInts(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            if (buffer.remaining() < 4) {
                refill();
            }
            out[i] = buffer.getInt();
        }
        return out;
    }

    /** Fills {@code out} with keystream bytes. */
    public void nextBytes(byte[] out) {
        for (int i = 0; i < out.length; i++) {
            if (!buffer.hasRemaining()) {
                refill();
            }
            out[i] = buffer.get();
        }
    }

    private void refill() {
        byte[] block = cipher.update(zeros);
        buffer.clear();
        buffer.put(block, 0, block.length);
        buffer.flip();
    }
}
