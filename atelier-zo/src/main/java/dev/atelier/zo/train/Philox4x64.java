package dev.atelier.zo.train;

/**
 * The Philox4x64-10 counter-based generator (Salmon et al., "Parallel random numbers: as easy as
 * 1, 2, 3", SC'11; the Random123 and numpy {@code Philox} reference): a keyed bijection of a
 * 256-bit counter into four 64-bit words. Any block can be computed without the ones before it,
 * so perturbations of any subset of tensors, in any order, regenerate the same values. Pure long
 * arithmetic, identical on every JVM. Stateless.
 */
public final class Philox4x64 {
    private static final long M0 = 0xD2E7470EE14C6C93L;
    private static final long M1 = 0xCA5A826395121157L;
    private static final long W0 = 0x9E3779B97F4A7C15L;
    private static final long W1 = 0xBB67AE8584CAA73BL;
    private static final int ROUNDS = 10;

    private Philox4x64() {}

    /** Writes the 4 words of block (c0..c3) under key (k0, k1) into {@code out[0..3]}. */
    public static void block(long c0, long c1, long c2, long c3, long k0, long k1, long[] out) {
        for (int r = 0; r < ROUNDS; r++) {
            if (r > 0) {
                k0 += W0;
                k1 += W1;
            }
            long hi0 = Math.unsignedMultiplyHigh(M0, c0);
            long lo0 = M0 * c0;
            long hi1 = Math.unsignedMultiplyHigh(M1, c2);
            long lo1 = M1 * c2;
            long n0 = hi1 ^ c1 ^ k0;
            long n2 = hi0 ^ c3 ^ k1;
            c0 = n0;
            c1 = lo1;
            c2 = n2;
            c3 = lo0;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }
}
