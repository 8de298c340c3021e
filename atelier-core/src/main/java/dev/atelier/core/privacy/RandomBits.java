package dev.atelier.core.privacy;

import java.math.BigInteger;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A source of uniformly random 64-bit words for the privacy samplers: in production a
 * {@link SecureRandom} ({@link #secure()}), in tests a keyed {@link AesCtrPrg} so runs are
 * reproducible. Never {@code java.util.Random}: its 48-bit state is recoverable from a few outputs,
 * which would let an observer subtract the noise. Implementations need not be thread-safe.
 */
@FunctionalInterface
public interface RandomBits {
    /** 64 uniformly random bits. */
    long nextLong();

    /** The JDK's DRBG (NIST SP 800-90A), seeded by the OS; falls back to the default {@link SecureRandom}. */
    static RandomBits secure() {
        SecureRandom r;
        try {
            r = SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            r = new SecureRandom();
        }
        return of(r);
    }

    static RandomBits of(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        return random::nextLong;
    }

    /** A uniform double in (0, 1]: 53 random bits, {@code (k + 1) / 2^53}; never 0, so {@code log} is finite. */
    default double nextOpenUnit() {
        return ((nextLong() >>> 11) + 1) * 0x1.0p-53;
    }

    /** A uniform double in [0, 1): {@code k / 2^53}. */
    default double nextUnit() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in {@code [0, bound)}, unbiased (rejection of the incomplete top range). */
    default long nextBelow(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        long mask = -1L >>> Long.numberOfLeadingZeros(bound - 1 | 1);
        while (true) {
            long r = nextLong() & mask;
            if (r < bound) {
                return r;
            }
        }
    }

    /** Uniform in {@code [0, bound)} for big bounds, by rejection on {@code bitLength(bound)} bits. */
    default BigInteger nextBelow(BigInteger bound) {
        if (bound.signum() <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        if (bound.bitLength() < 63) {
            return BigInteger.valueOf(nextBelow(bound.longValue()));
        }
        int bits = bound.bitLength();
        int words = (bits + 63) / 64;
        byte[] raw = new byte[words * 8];
        while (true) {
            for (int i = 0; i < words; i++) {
                long w = nextLong();
                for (int b = 0; b < 8; b++) {
                    raw[i * 8 + b] = (byte) (w >>> (56 - 8 * b));
                }
            }
            BigInteger r = new BigInteger(1, raw).shiftRight(words * 64 - bits);
            if (r.compareTo(bound) < 0) {
                return r;
            }
        }
    }
}
