package dev.atelier.core.privacy.secagg;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 (RFC 5869) on the JDK's {@code HmacSHA256}. Written here (two dozen lines) because
 * atelier-core targets Java 21, which has no {@code javax.crypto.KDF} (final only in JDK 25), and
 * BouncyCastle's {@code HKDFBytesGenerator} lives in bcprov, which only atelier-transport depends
 * on (via bcpkix): atelier-core stays free of it. Checked against the RFC's test vectors.
 * Stateless, thread-safe.
 */
public final class Hkdf {
    private static final int HASH_LEN = 32;

    private Hkdf() {}

    /** Extract then expand: {@code length} bytes of output keying material. */
    public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        return expand(extract(salt, ikm), info, length);
    }

    /** {@code PRK = HMAC(salt, IKM)}; an empty salt means {@code HashLen} zero bytes. */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        return hmac(salt == null || salt.length == 0 ? new byte[HASH_LEN] : salt, ikm);
    }

    /** {@code T(i) = HMAC(PRK, T(i-1) | info | i)}, concatenated and cut to {@code length <= 255 * 32}. */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 0 || length > 255 * HASH_LEN) {
            throw new IllegalArgumentException("HKDF output length must be in [0, 8160], got " + length);
        }
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int done = 0;
        for (int i = 1; done < length; i++) {
            byte[] input = new byte[t.length + info.length + 1];
            System.arraycopy(t, 0, input, 0, t.length);
            System.arraycopy(info, 0, input, t.length, info.length);
            input[input.length - 1] = (byte) i;
            t = hmac(prk, input);
            int n = Math.min(HASH_LEN, length - done);
            System.arraycopy(t, 0, out, done, n);
            done += n;
        }
        return out;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK: " + e.getMessage(), e);
        }
    }
}
