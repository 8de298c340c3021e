package dev.atelier.core.privacy.secagg;

import dev.atelier.core.privacy.AesCtrPrg;
import java.nio.charset.StandardCharsets;

/**
 * The masks of secure aggregation over {@code Z_{2^32}} (Bonawitz et al. 2017, "Practical Secure
 * Aggregation for Privacy-Preserving Machine Learning", CCS): node {@code u} sends
 * {@code y_u = x_u + PRG(b_u) + sum_{v > u} PRG(s_uv) - sum_{v < u} PRG(s_uv)} where {@code b_u} is
 * its self-mask seed and {@code s_uv} the pairwise seed both {@code u} and {@code v} derive from
 * their X25519 agreement. Summed over the live nodes the pairwise masks cancel; the server
 * removes the self masks of the survivors (seeds rebuilt from shares) and the pairwise masks that
 * dropped nodes left behind (their mask keys rebuilt from shares). Ints wrap, which is exactly
 * arithmetic mod {@code 2^32}. Stateless, thread-safe.
 */
public final class Masking {
    private Masking() {}

    /**
     * The pairwise seed: {@code HKDF-SHA256(salt = "atelier-secagg" | round id, ikm = X25519(sk_u, pk_v),
     * info = sorted(u, v))}, 32 bytes, the same for both ends.
     */
    public static byte[] pairwiseSeed(byte[] sharedSecret, String roundId, String u, String v) {
        String a = u.compareTo(v) < 0 ? u : v;
        String b = u.compareTo(v) < 0 ? v : u;
        byte[] salt = ("atelier-secagg|" + roundId).getBytes(StandardCharsets.UTF_8);
        byte[] info = (a.length() + ":" + a + "|" + b.length() + ":" + b).getBytes(StandardCharsets.UTF_8);
        return Hkdf.derive(salt, sharedSecret, info, 32);
    }

    /** {@code into += sign * PRG(seed)} coordinate-wise mod 2^32. */
    public static void addMask(int[] into, byte[] seed, int sign) {
        int[] m = new AesCtrPrg(seed).nextInts(into.length);
        for (int i = 0; i < into.length; i++) {
            into[i] += sign * m[i];
        }
    }

    /** +1 when {@code u} adds the pair's mask (u sorts first), -1 when it subtracts. */
    public static int pairSign(String u, String v) {
        int c = u.compareTo(v);
        if (c == 0) {
            throw new IllegalArgumentException("a node has no pairwise mask with itself: " + u);
        }
        return c < 0 ? 1 : -1;
    }
}
