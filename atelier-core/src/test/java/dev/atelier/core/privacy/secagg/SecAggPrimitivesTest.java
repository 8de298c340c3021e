package dev.atelier.core.privacy.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.core.privacy.AesCtrPrg;
import dev.atelier.core.privacy.RandomBits;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecAggPrimitivesTest {
    private static final HexFormat HEX = HexFormat.of();

    static RandomBits prg(int s) {
        byte[] seed = new byte[32];
        seed[0] = (byte) s;
        seed[31] = 42;
        return new AesCtrPrg(seed);
    }

    /** RFC 5869 Appendix A.1 (basic) and A.3 (zero-length salt and info). */
    @Test
    void hkdfMatchesRfc5869() {
        byte[] ikm = new byte[22];
        java.util.Arrays.fill(ikm, (byte) 0x0b);
        byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
        byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
        assertThat(HEX.formatHex(Hkdf.extract(salt, ikm)))
                .isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
        assertThat(HEX.formatHex(Hkdf.derive(salt, ikm, info, 42)))
                .isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
        assertThat(HEX.formatHex(Hkdf.derive(new byte[0], ikm, new byte[0], 42)))
                .isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }

    /** RFC 7748 section 6.1: Alice's and Bob's keys give the published shared secret. */
    @Test
    void x25519MatchesRfc7748AndAgreesBothWays() {
        byte[] alicePriv = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] alicePub = HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        byte[] bobPriv = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] bobPub = HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        assertThat(HEX.formatHex(X25519.agree(alicePriv, bobPub))).isEqualTo(shared);
        assertThat(HEX.formatHex(X25519.agree(bobPriv, alicePub))).isEqualTo(shared);

        SecureRandom r = new SecureRandom();
        X25519.RawKeyPair a = X25519.generate(r);
        X25519.RawKeyPair b = X25519.generate(r);
        assertThat(a.publicKey()).hasSize(32);
        assertThat(X25519.agree(a.privateKey(), b.publicKey())).isEqualTo(X25519.agree(b.privateKey(), a.publicKey()));
        assertThatThrownBy(() -> X25519.agree(new byte[31], b.publicKey())).hasMessageContaining("32 bytes");
    }

    @Test
    void shamirAnyThresholdSubsetRecoversTheSecret() {
        byte[] secret = new byte[64];
        new AesCtrPrg(new byte[32]).nextBytes(secret);
        secret[0] = 0; // leading zero byte must survive
        List<Shamir.Share> shares = Shamir.split(secret, 3, new int[] {1, 2, 3, 4, 5}, prg(2));
        for (int i = 0; i < 5; i++) {
            for (int j = i + 1; j < 5; j++) {
                for (int k = j + 1; k < 5; k++) {
                    List<Shamir.Share> sub = List.of(shares.get(i), shares.get(j), shares.get(k));
                    assertThat(Shamir.combine(sub, 64)).isEqualTo(secret);
                }
            }
        }
        List<Shamir.Share> wire = new ArrayList<>();
        for (Shamir.Share s : shares.subList(1, 4)) {
            wire.add(Shamir.Share.fromBytes(s.toBytes()));
        }
        assertThat(Shamir.combine(wire, 64)).isEqualTo(secret);
        // two shares of a threshold-3 sharing give a field element unrelated to the secret
        byte[] wrong;
        try {
            wrong = Shamir.combine(shares.subList(0, 2), 64);
        } catch (IllegalArgumentException tooBig) {
            wrong = null;
        }
        assertThat(wrong).isNotEqualTo(secret);
        assertThatThrownBy(() -> Shamir.split(new byte[65], 2, new int[] {1, 2}, prg(3)))
                .hasMessageContaining("exceeds 64");
    }

    @Test
    void quantizedSumIsExactUpToRounding() {
        StochasticQuantizer q = new StochasticQuantizer(1.0, 1 << 20);
        int n = 50;
        int d = 1000;
        int[] sum = new int[d];
        double[] plain = new double[d];
        RandomBits bits = prg(4);
        for (int c = 0; c < n; c++) {
            float[] x = new float[d];
            for (int i = 0; i < d; i++) {
                x[i] = (float) ((bits.nextUnit() * 2.4) - 1.2); // some outside [-1, 1]: clipped
                plain[i] += Math.max(-1, Math.min(1, x[i]));
            }
            int[] qx = q.quantize(x, bits);
            for (int i = 0; i < d; i++) {
                sum[i] += qx[i];
            }
        }
        float[] back = q.dequantizeSum(sum, n);
        for (int i = 0; i < d; i++) {
            assertThat((double) back[i]).isCloseTo(plain[i], within(n * q.step() + 1e-4));
        }
        assertThat(q.maxSummands()).isEqualTo(4095);
        assertThatThrownBy(() -> q.dequantizeSum(sum, 5000)).hasMessageContaining("at most 4095 fit in 2^32");
    }

    @Test
    void stochasticRoundingIsUnbiased() {
        StochasticQuantizer q = new StochasticQuantizer(1.0, 10); // step 0.2: 0.3 sits between levels
        float[] x = new float[100_000];
        java.util.Arrays.fill(x, 0.33f);
        int[] qx = q.quantize(x, prg(5));
        double mean = 0;
        for (int v : qx) {
            assertThat(v).isIn(6, 7);
            mean += v;
        }
        mean /= qx.length;
        // E[q] = (0.33 + 1) * 10 / 2 = 6.65; sd of the mean = sqrt(0.65 * 0.35 / n)
        assertThat(mean).isCloseTo(6.65, within(4 * Math.sqrt(0.65 * 0.35 / qx.length)));
    }

    @Test
    void hararyGraphIsSymmetricRegularAndItsFailureBoundIsTheBinomialTail() {
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            nodes.add("node-" + i);
        }
        NeighbourGraph g = NeighbourGraph.harary(nodes, 7, prg(6));
        for (String u : nodes) {
            assertThat(g.neighbours(u)).hasSize(6).doesNotContain(u);
            for (String v : g.neighbours(u)) {
                assertThat(g.neighbours(v)).contains(u);
            }
        }
        assertThat(NeighbourGraph.harary(nodes, 7, prg(7)).neighbours("node-0"))
                .isNotEqualTo(g.neighbours("node-0")); // the relabelling is random
        // scipy.stats.binom: n * binom.cdf(t - 1, numShares - 1, 1 - d)
        assertThat(NeighbourGraph.failureBound(1000, 41, 21, 0.1)).isCloseTo(1.8718579354173925e-07, within(1e-15));
        assertThat(NeighbourGraph.failureBound(10, 9, 5, 0.2)).isCloseTo(0.562816, within(1e-9));
        assertThat(NeighbourGraph.failureBound(100, 99, 50, 1 / 3.0)).isCloseTo(0.047611295361826234, within(1e-9));
        assertThatThrownBy(() -> NeighbourGraph.harary(nodes, 6, prg(1))).hasMessageContaining("odd");
    }

    @Test
    void pairwiseMasksCancelAndSeedsAgree() {
        X25519.RawKeyPair a = X25519.generate(new SecureRandom());
        X25519.RawKeyPair b = X25519.generate(new SecureRandom());
        byte[] sab = Masking.pairwiseSeed(X25519.agree(a.privateKey(), b.publicKey()), "r1", "a", "b");
        byte[] sba = Masking.pairwiseSeed(X25519.agree(b.privateKey(), a.publicKey()), "r1", "b", "a");
        assertThat(sab).isEqualTo(sba);
        assertThat(Masking.pairwiseSeed(X25519.agree(a.privateKey(), b.publicKey()), "r2", "a", "b"))
                .isNotEqualTo(sab);
        int[] ya = {1, 2, 3};
        int[] yb = {10, 20, 30};
        Masking.addMask(ya, sab, Masking.pairSign("a", "b"));
        Masking.addMask(yb, sba, Masking.pairSign("b", "a"));
        assertThat(new int[] {ya[0] + yb[0], ya[1] + yb[1], ya[2] + yb[2]}).containsExactly(11, 22, 33);
    }
}
