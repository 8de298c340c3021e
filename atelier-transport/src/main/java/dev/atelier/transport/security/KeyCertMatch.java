package dev.atelier.transport.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Locale;

/**
 * Checks at startup that a bundle's private key belongs to its certificate, by signing a fixed
 * message with the key and verifying it with the certificate's public key. Without it a mismatch
 * (a {@code key.pem} copied from another bundle) surfaces only as a failed handshake on every
 * attempt, which a node would retry forever. Stateless, thread-safe.
 */
final class KeyCertMatch {
    private static final byte[] PROBE = "atelier key/certificate match".getBytes(StandardCharsets.US_ASCII);

    private KeyCertMatch() {}

    /**
     * @throws IllegalArgumentException one line naming both files when the key does not match
     */
    static void check(PrivateKey key, X509Certificate cert, Path keyFile, Path certFile) {
        String alg = signatureAlgorithm(key);
        if (alg == null) {
            return; // an algorithm we do not issue: the handshake will tell
        }
        boolean ok;
        try {
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(PROBE);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(PROBE);
            ok = v.verify(sig);
        } catch (GeneralSecurityException e) {
            ok = false; // e.g. an EC key with an RSA certificate
        }
        if (!ok) {
            throw new IllegalArgumentException("the private key " + keyFile + " does not match the certificate "
                    + certFile + " ('" + TrustPolicy.commonName(cert) + "'); use the key.pem issued with that"
                    + " cert.pem (same `atelier certs issue` bundle)");
        }
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "ED25519", "EDDSA" -> "Ed25519";
            default -> null;
        };
    }
}
