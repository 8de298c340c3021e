package dev.atelier.core.privacy.secagg;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 Diffie–Hellman (RFC 7748) through the JDK's {@code KeyAgreement "X25519"}, with keys in
 * their 32-byte wire form (little-endian u-coordinate; little-endian scalar) so they travel as
 * byte payloads and can be Shamir-shared. Stateless, thread-safe.
 */
public final class X25519 {
    /** Key and shared-secret length in bytes. */
    public static final int KEY_BYTES = 32;

    private X25519() {}

    /** A key pair in wire form. {@code privateKey} is secret. */
    public record RawKeyPair(byte[] publicKey, byte[] privateKey) {}

    public static RawKeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
            g.initialize(NamedParameterSpec.X25519, random);
            KeyPair kp = g.generateKeyPair();
            byte[] pub = encodeU(((XECPublicKey) kp.getPublic()).getU());
            byte[] priv = ((XECPrivateKey) kp.getPrivate())
                    .getScalar()
                    .orElseThrow(() -> new IllegalStateException("X25519 private scalar not extractable"));
            return new RawKeyPair(pub, priv);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available in this JDK: " + e.getMessage(), e);
        }
    }

    /**
     * The 32-byte shared secret of {@code privateKey} and the peer's {@code publicKey}.
     *
     * @throws IllegalArgumentException for keys of the wrong length or a low-order peer key
     *     (the JDK refuses an all-zero result)
     */
    public static byte[] agree(byte[] privateKey, byte[] peerPublicKey) {
        if (privateKey.length != KEY_BYTES || peerPublicKey.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                    "X25519 keys are 32 bytes, got private " + privateKey.length + ", public " + peerPublicKey.length);
        }
        try {
            KeyFactory kf = KeyFactory.getInstance("X25519");
            PrivateKey priv = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey));
            PublicKey pub = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(peerPublicKey)));
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(priv);
            ka.doPhase(pub, true);
            return ka.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("X25519 key agreement failed: " + e.getMessage(), e);
        }
    }

    private static byte[] encodeU(BigInteger u) {
        byte[] be = u.toByteArray();
        byte[] le = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }

    private static BigInteger decodeU(byte[] le) {
        byte[] be = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES; i++) {
            be[i] = le[KEY_BYTES - 1 - i];
        }
        be[0] &= 0x7f; // RFC 7748 section 5: mask the top bit of the u-coordinate
        return new BigInteger(1, be);
    }
}
