package dev.atelier.zo.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The determinism contract of docs/zo.md, pinned by committed vectors. */
class ZoNoiseTest {
    /**
     * Known answers of Philox4x64-10: Random123's kat_vectors (first row) and numpy 2.4.6's
     * {@code np.random.Philox} (all three rows, with the counter pre-decremented because numpy
     * increments it before each block).
     */
    @ParameterizedTest
    @CsvSource({
        "0, 0, 0, 0, 0, 0, 16554d9eca36314c, db20fe9d672d0fdc, d7e772cee186176b, 7e68b68aec7ba23b",
        "ffffffffffffffff, ffffffffffffffff, ffffffffffffffff, ffffffffffffffff, ffffffffffffffff,"
                + " ffffffffffffffff, 87b092c3013fe90b, 438c3c67be8d0224, 9cc7d7c69cd777b6, a09caebf594f0ba0",
        "243f6a8885a308d3, 13198a2e03707344, a4093822299f31d0, 082efa98ec4e6c89, 452821e638d01377,"
                + " be5466cf34e90c6c, a528f45403e61d95, 38c72dbd566e9788, a5a1610e72fd18b5, 57bd43b5e52b7fe6"
    })
    void philoxKnownAnswers(
            String c0,
            String c1,
            String c2,
            String c3,
            String k0,
            String k1,
            String o0,
            String o1,
            String o2,
            String o3) {
        long[] out = new long[4];
        Philox4x64.block(hex(c0), hex(c1), hex(c2), hex(c3), hex(k0), hex(k1), out);
        assertThat(out).containsExactly(hex(o0), hex(o1), hex(o2), hex(o3));
    }

    /**
     * z for (seed, tensor, offset). The same digits come from an independent Python
     * implementation (numpy's Philox, Python's math.log/sqrt/cos/sin), see docs/zo.md.
     */
    @ParameterizedTest
    @CsvSource({
        "0, 0, 0, -0x1.9eec10eb0379fp-1",
        "0, 0, 1, -0x1.f73fce0fdd77p-1",
        "0, 0, 2, 0x1.287e7159f8c84p0",
        "0, 0, 3, -0x1.4647f74a60ac2p0",
        "42, 3, 0, -0x1.78a5798d4aedfp-2",
        "42, 3, 5, 0x1.b41cecd5d0304p-1",
        "-1, 7, 1000003, -0x1.d525829ad92b7p-3",
        "123456789, 0, 8589934592, 0x1.e50ff6ef05c43p-1"
    })
    void committedGaussians(long seed, int tensor, long offset, String expected) {
        assertThat(ZoNoise.z(seed, tensor, offset)).isEqualTo(Double.parseDouble(expected));
    }

    @Test
    void committedDecimalsMatchTheHexVectors() {
        assertThat(ZoNoise.z(0, 0, 0)).isEqualTo(-0.8103947913057147);
        assertThat(ZoNoise.z(42, 3, 5)).isEqualTo(0.8517831812860952);
        assertThat((float) ZoNoise.z(-1, 7, 1000003)).isEqualTo(-0.22907545f);
    }

    /** addScaled visits the same z as z(): element i of tensor t gets θ + c·z(seed, t, i). */
    @Test
    void addScaledUsesThePerElementNoise() {
        float[] v = new float[11];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.1f * i - 0.5f;
        }
        float[] before = v.clone();
        ZoNoise.addScaled(v, 99, 5, 1e-3);
        for (int i = 0; i < v.length; i++) {
            assertThat(v[i]).isEqualTo((float) (before[i] + 1e-3 * ZoNoise.z(99, 5, i)));
        }
    }

    /** A tensor split over parallel chunks gets exactly the per-element formula too. */
    @Test
    void chunkedTensorsUseThePerElementNoise() {
        float[] v = new float[3 * ZoNoise.CHUNK + 7];
        ZoNoise.addScaled(v, -12, 2, 0.5);
        for (int i = 0; i < v.length; i++) {
            if (v[i] != (float) (0.5 * ZoNoise.z(-12, 2, i))) {
                throw new AssertionError("element " + i + ": " + v[i]);
            }
        }
    }

    /** Moments of 2¹⁷ draws: N(0, 1) within sampling error; tensors and seeds decorrelated. */
    @Test
    void gaussianMoments() {
        int n = 1 << 17;
        double s1 = 0;
        double s2 = 0;
        double s4 = 0;
        double cross = 0;
        for (int i = 0; i < n; i++) {
            double z = ZoNoise.z(7, 2, i);
            s1 += z;
            s2 += z * z;
            s4 += z * z * z * z;
            cross += z * ZoNoise.z(8, 2, i) + z * ZoNoise.z(7, 3, i);
        }
        assertThat(s1 / n).isBetween(-0.015, 0.015);
        assertThat(s2 / n).isBetween(0.98, 1.02);
        assertThat(s4 / n).isBetween(2.9, 3.1);
        assertThat(cross / (2 * n)).isBetween(-0.015, 0.015);
    }

    /** 53-bit uniforms in [0, 1); the Box–Muller radius stays finite at both ends. */
    @Test
    void uniformsAndRadiusAtTheEnds() {
        assertThat(ZoNoise.uniform(0)).isZero();
        assertThat(ZoNoise.uniform(-1)).isEqualTo(1 - 0x1p-53);
        assertThat(StrictMath.sqrt(-2 * StrictMath.log(1 - ZoNoise.uniform(-1))))
                .isEqualTo(Math.sqrt(2 * 53 * Math.log(2)), org.assertj.core.data.Offset.offset(1e-12));
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s, 16);
    }
}
