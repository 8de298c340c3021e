package dev.atelier.core.privacy.secagg;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What node {@code src} sends node {@code dst} through the coordinator in SHARE_KEYS: its shares
 * of {@code src}'s mask private key and self-mask seed, encrypted with AES-256-GCM under
 * {@code HKDF(X25519(enc_sk_src, enc_pk_dst))} (Bonawitz et al. 2017, round 1), nonce prepended,
 * the round id as associated data. The recipient checks both ids, so the coordinator can neither
 * read nor redirect a bundle.
 */
record ShareBundle(String src, String dst, Shamir.Share maskKeyShare, Shamir.Share seedShare) {
    private static final int NONCE = 12;

    byte[] encrypt(byte[] sharedSecret, String roundId, SecureRandom random) {
        byte[] plain = new Wire.Writer()
                .str(src)
                .str(dst)
                .blob(maskKeyShare.toBytes())
                .blob(seedShare.toBytes())
                .toBytes();
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key(sharedSecret, roundId, src, dst), new GCMParameterSpec(128, nonce));
            c.updateAAD(roundId.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plain);
            byte[] out = new byte[NONCE + ct.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(ct, 0, out, NONCE, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when the bundle does not authenticate or names other nodes */
    static ShareBundle decrypt(byte[] data, byte[] sharedSecret, String roundId, String src, String dst) {
        if (data.length < NONCE + 16) {
            throw new IllegalArgumentException("share bundle from " + src + " is too short");
        }
        byte[] plain;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(
                    Cipher.DECRYPT_MODE,
                    key(sharedSecret, roundId, src, dst),
                    new GCMParameterSpec(128, data, 0, NONCE));
            c.updateAAD(roundId.getBytes(StandardCharsets.UTF_8));
            plain = c.doFinal(data, NONCE, data.length - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("share bundle from " + src + " does not authenticate");
        }
        Wire.Reader r = new Wire.Reader(plain, "share bundle");
        String s = r.str();
        String d = r.str();
        Shamir.Share k = Shamir.Share.fromBytes(r.blob(4 + Shamir.VALUE_BYTES));
        Shamir.Share b = Shamir.Share.fromBytes(r.blob(4 + Shamir.VALUE_BYTES));
        r.end();
        if (!s.equals(src) || !d.equals(dst)) {
            throw new IllegalArgumentException(
                    "share bundle claims " + s + " -> " + d + " but arrived as " + src + " -> " + dst);
        }
        return new ShareBundle(s, d, k, b);
    }

    private static SecretKeySpec key(byte[] sharedSecret, String roundId, String src, String dst) {
        String a = src.compareTo(dst) < 0 ? src : dst;
        String b = src.compareTo(dst) < 0 ? dst : src;
        byte[] k = Hkdf.derive(
                ("atelier-secagg-enc|" + roundId).getBytes(StandardCharsets.UTF_8),
                sharedSecret,
                (a.length() + ":" + a + "|" + b.length() + ":" + b).getBytes(StandardCharsets.UTF_8),
                32);
        return new SecretKeySpec(k, "AES");
    }
}
