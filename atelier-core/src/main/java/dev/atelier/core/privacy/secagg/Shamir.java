package dev.atelier.core.privacy.secagg;

import dev.atelier.core.privacy.RandomBits;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shamir's (t, n) secret sharing (Shamir 1979) over the prime field {@code GF(p)},
 * {@code p = 2^521 - 1} (a Mersenne prime, so primality is a known fact, and large enough for a
 * 64-byte secret: an X25519 private key or a 32-byte mask seed). A secret of up to 64 bytes is the
 * constant term of a random degree-{@code t-1} polynomial; share {@code x} is its value at
 * {@code x}; any {@code t} shares give it back by Lagrange interpolation at 0, fewer reveal
 * nothing. Stateless, thread-safe.
 */
public final class Shamir {
    /** The field modulus {@code 2^521 - 1}. */
    public static final BigInteger P = BigInteger.ONE.shiftLeft(521).subtract(BigInteger.ONE);

    /** Largest secret, in bytes. */
    public static final int MAX_SECRET_BYTES = 64;

    /** Bytes of a share's value on the wire (521 bits). */
    public static final int VALUE_BYTES = 66;

    private Shamir() {}

    /** One share: the polynomial's value {@code y} at {@code x >= 1}. */
    public record Share(int x, BigInteger y) {
        public Share {
            if (x < 1) {
                throw new IllegalArgumentException("share x must be >= 1, got " + x);
            }
            if (y.signum() < 0 || y.compareTo(P) >= 0) {
                throw new IllegalArgumentException("share value out of the field");
            }
        }

        /** 4-byte big-endian x, then y as 66 big-endian bytes. */
        public byte[] toBytes() {
            byte[] out = new byte[4 + VALUE_BYTES];
            out[0] = (byte) (x >>> 24);
            out[1] = (byte) (x >>> 16);
            out[2] = (byte) (x >>> 8);
            out[3] = (byte) x;
            byte[] be = y.toByteArray();
            int n = Math.min(be.length, VALUE_BYTES);
            System.arraycopy(be, be.length - n, out, out.length - n, n);
            return out;
        }

        public static Share fromBytes(byte[] b) {
            if (b.length != 4 + VALUE_BYTES) {
                throw new IllegalArgumentException("a share is " + (4 + VALUE_BYTES) + " bytes, got " + b.length);
            }
            int x = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            byte[] v = new byte[VALUE_BYTES];
            System.arraycopy(b, 4, v, 0, VALUE_BYTES);
            return new Share(x, new BigInteger(1, v));
        }
    }

    /**
     * Shares {@code secret} at the points {@code xs} (distinct, >= 1) with threshold {@code t}.
     *
     * @param random coefficients; must be cryptographically secure in production
     */
    public static List<Share> split(byte[] secret, int t, int[] xs, RandomBits random) {
        if (secret.length > MAX_SECRET_BYTES) {
            throw new IllegalArgumentException("secret of " + secret.length + " bytes exceeds " + MAX_SECRET_BYTES);
        }
        if (t < 1 || t > xs.length) {
            throw new IllegalArgumentException("threshold must be in [1, " + xs.length + "], got " + t);
        }
        Set<Integer> seen = new HashSet<>();
        for (int x : xs) {
            if (x < 1 || !seen.add(x)) {
                throw new IllegalArgumentException("share points must be distinct and >= 1");
            }
        }
        BigInteger[] coef = new BigInteger[t];
        coef[0] = new BigInteger(1, secret);
        for (int i = 1; i < t; i++) {
            coef[i] = random.nextBelow(P);
        }
        List<Share> out = new ArrayList<>(xs.length);
        for (int x : xs) {
            BigInteger bx = BigInteger.valueOf(x);
            BigInteger y = BigInteger.ZERO;
            for (int i = t - 1; i >= 0; i--) {
                y = y.multiply(bx).add(coef[i]).mod(P); // Horner
            }
            out.add(new Share(x, y));
        }
        return out;
    }

    /**
     * The secret from at least the threshold number of shares (more are fine; all are used, so
     * a corrupted share gives a wrong secret: callers authenticate shares first).
     *
     * @param secretBytes the secret's length (leading zero bytes are restored)
     */
    public static byte[] combine(List<Share> shares, int secretBytes) {
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("no shares to combine");
        }
        Set<Integer> seen = new HashSet<>();
        for (Share s : shares) {
            if (!seen.add(s.x())) {
                throw new IllegalArgumentException("duplicate share point " + s.x());
            }
        }
        BigInteger secret = BigInteger.ZERO;
        for (Share si : shares) {
            BigInteger num = BigInteger.ONE;
            BigInteger den = BigInteger.ONE;
            for (Share sj : shares) {
                if (sj != si) {
                    num = num.multiply(BigInteger.valueOf(sj.x())).mod(P);
                    den = den.multiply(BigInteger.valueOf(sj.x() - si.x())).mod(P);
                }
            }
            secret =
                    secret.add(si.y().multiply(num).multiply(den.modInverse(P))).mod(P);
        }
        byte[] be = secret.toByteArray();
        int start = be.length > secretBytes && be[0] == 0 ? 1 : 0;
        if (be.length - start > secretBytes) {
            throw new IllegalArgumentException(
                    "shares do not combine to a " + secretBytes + "-byte secret" + " (too few or inconsistent shares)");
        }
        byte[] out = new byte[secretBytes];
        System.arraycopy(be, start, out, secretBytes - (be.length - start), be.length - start);
        return out;
    }
}
