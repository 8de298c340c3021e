package dev.atelier.studio.web;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A password kept only as a PBKDF2-HMAC-SHA256 hash (the JDK's standard KDF; OWASP's 2023
 * iteration count for it, {@value #ITERATIONS}), with a random 16-byte salt; checked in constant
 * time. Immutable, thread-safe.
 */
public final class PasswordHash {
    static final int ITERATIONS = 600_000;
    private static final int BITS = 256;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(byte[] salt, byte[] hash) {
        this.salt = salt;
        this.hash = hash;
    }

    /** Hashes {@code password} with a fresh salt. */
    public static PasswordHash of(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return new PasswordHash(salt, derive(password, salt));
    }

    /** Whether {@code attempt} is the password (constant time in the hash comparison). */
    public boolean matches(String attempt) {
        return attempt != null && MessageDigest.isEqual(hash, derive(attempt, salt));
    }

    /** {@code pbkdf2-sha256$ITER$SALT$HASH}, base64; for logs and tests, never the password. */
    public String encoded() {
        Base64.Encoder b = Base64.getEncoder().withoutPadding();
        return "pbkdf2-sha256$" + ITERATIONS + "$" + b.encodeToString(salt) + "$" + b.encodeToString(hash);
    }

    private static byte[] derive(String password, byte[] salt) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
