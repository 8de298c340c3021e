package dev.atelier.core.privacy.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.core.privacy.AesCtrPrg;
import dev.atelier.core.privacy.RandomBits;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SecAgg+ in process: every stage's bytes go through the encoders, nodes drop at each stage. */
class SecAggProtocolTest {
    private static final int D = 2000;

    /** Runs a round; {@code drops} maps a stage to the nodes that stop answering from that stage on. */
    static SecAggServer.Result round(
            int n, int numShares, int threshold, Map<SecAggStage, Set<String>> drops, Function<String, int[]> vectors) {
        List<String> ids = new ArrayList<>();
        Map<String, SecAggClient> clients = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String id = "node-" + (char) ('a' + i);
            ids.add(id);
            clients.put(id, new SecAggClient(id, new SecureRandom()));
        }
        SecAggServer server = new SecAggServer("run-1/round-3", ids, numShares, threshold, D, graphBits());
        Set<String> gone = new java.util.HashSet<>();
        gone.addAll(drops.getOrDefault(SecAggStage.SETUP, Set.of()));
        server.receiveSetup(
                answer(server.setupRequests(), gone, (id, b) -> clients.get(id).setup(b)));
        gone.addAll(drops.getOrDefault(SecAggStage.SHARE_KEYS, Set.of()));
        server.receiveShareKeys(answer(
                server.shareKeysRequests(), gone, (id, b) -> clients.get(id).shareKeys(b)));
        gone.addAll(drops.getOrDefault(SecAggStage.COLLECT_MASKED_VECTORS, Set.of()));
        server.receiveMasked(answer(
                server.collectRequests(), gone, (id, b) -> clients.get(id).collectMaskedVector(b, vectors.apply(id))));
        gone.addAll(drops.getOrDefault(SecAggStage.UNMASK, Set.of()));
        return server.finish(
                answer(server.unmaskRequests(), gone, (id, b) -> clients.get(id).unmask(b)));
    }

    private static Map<String, byte[]> answer(
            Map<String, byte[]> requests, Set<String> gone, java.util.function.BiFunction<String, byte[], byte[]> f) {
        Map<String, byte[]> out = new TreeMap<>();
        requests.forEach((id, b) -> {
            if (!gone.contains(id)) {
                out.put(id, f.apply(id, b));
            }
        });
        return out;
    }

    /** Three clients and a server (3 shares, threshold 2, dimension {@code d}) after setup and key sharing. */
    private record KeysShared(Map<String, SecAggClient> clients, SecAggServer server) {
        static KeysShared of(List<String> ids, int d) {
            Map<String, SecAggClient> cs = new TreeMap<>();
            ids.forEach(id -> cs.put(id, new SecAggClient(id, new SecureRandom())));
            SecAggServer server = new SecAggServer("r", ids, 3, 2, d, graphBits());
            server.receiveSetup(answer(
                    server.setupRequests(), Set.of(), (id, b) -> cs.get(id).setup(b)));
            server.receiveShareKeys(answer(
                    server.shareKeysRequests(), Set.of(), (id, b) -> cs.get(id).shareKeys(b)));
            return new KeysShared(cs, server);
        }
    }

    static RandomBits graphBits() {
        return new AesCtrPrg(new byte[32]);
    }

    static int[] vectorOf(String id) {
        byte[] seed = new byte[32];
        byte[] b = id.getBytes();
        System.arraycopy(b, 0, seed, 0, b.length);
        int[] v = new AesCtrPrg(seed).nextInts(D);
        for (int i = 0; i < D; i++) {
            v[i] &= 0xfffff; // 20-bit quantised values
        }
        return v;
    }

    static int[] plainSum(List<String> ids) {
        int[] s = new int[D];
        for (String id : ids) {
            int[] v = vectorOf(id);
            for (int i = 0; i < D; i++) {
                s[i] += v[i];
            }
        }
        return s;
    }

    @Test
    void noDropoutsGiveTheExactSum() {
        SecAggServer.Result r = round(12, 7, 4, Map.of(), SecAggProtocolTest::vectorOf);
        assertThat(r.contributors()).hasSize(12);
        assertThat(r.sum()).containsExactly(plainSum(r.contributors()));
    }

    /**
     * A third of the nodes (4 of 12) drop at each stage; the sum is exact over who sent a masked
     * vector. numShares 7, threshold 3: even if all 4 dropouts neighbour one node, it keeps 3 holders.
     */
    @ParameterizedTest
    @EnumSource(SecAggStage.class)
    void aThirdDroppingAtAnyStageStillGivesTheExactSum(SecAggStage stage) {
        Set<String> drop = Set.of("node-b", "node-e", "node-h", "node-k");
        SecAggServer.Result r = round(12, 7, 3, Map.of(stage, drop), SecAggProtocolTest::vectorOf);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = "node-" + (char) ('a' + i);
            if (!(drop.contains(id) && stage != SecAggStage.UNMASK)) {
                expected.add(id);
            }
        }
        assertThat(r.contributors()).containsExactlyElementsOf(expected);
        assertThat(r.sum()).containsExactly(plainSum(expected));
        if (stage == SecAggStage.COLLECT_MASKED_VECTORS) {
            assertThat(r.droppedAfterSharing()).containsExactlyInAnyOrderElementsOf(drop);
        }
    }

    @Test
    void abortsWithAClearReasonWhenANodeLosesTooManyShareHolders() {
        // ring of 7 (numShares 3), threshold 2: drop both neighbours of one node after sharing
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add("node-" + (char) ('a' + i));
        }
        List<String> around = NeighbourGraph.harary(ids, 3, graphBits()).neighbours("node-d");
        assertThatThrownBy(() -> round(
                        7,
                        3,
                        2,
                        Map.of(SecAggStage.COLLECT_MASKED_VECTORS, Set.copyOf(around)),
                        SecAggProtocolTest::vectorOf))
                .isInstanceOf(SecAggAbortException.class)
                .hasMessageContaining("aborted at secagg.collect_masked_vectors")
                .hasMessageContaining("has 1 live share holders, threshold 2");
        assertThatThrownBy(() -> round(
                        6, 5, 3, Map.of(SecAggStage.SETUP, Set.of("node-a", "node-b")), SecAggProtocolTest::vectorOf))
                .isInstanceOf(SecAggAbortException.class)
                .hasMessageContaining("only 4 of 6 nodes answered, fewer than numShares 5");
    }

    @Test
    void quantisedFloatSumMatchesThePlainSumWithinQuantisationError() {
        StochasticQuantizer q = new StochasticQuantizer(0.5, 1 << 24);
        Map<String, float[]> updates = new TreeMap<>();
        Map<String, int[]> quantised = new TreeMap<>();
        RandomBits bits = new AesCtrPrg(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
            30, 31, 32
        });
        for (int i = 0; i < 10; i++) {
            String id = "node-" + (char) ('a' + i);
            float[] u = new float[D];
            for (int j = 0; j < D; j++) {
                u[j] = (float) (bits.nextUnit() - 0.5) * 0.8f;
            }
            updates.put(id, u);
            quantised.put(id, q.quantize(u, bits));
        }
        SecAggServer.Result r = round(
                10,
                9,
                5,
                Map.of(SecAggStage.COLLECT_MASKED_VECTORS, Set.of("node-c", "node-f", "node-i")),
                quantised::get);
        float[] sum = q.dequantizeSum(r.sum(), r.contributors().size());
        for (int j = 0; j < D; j++) {
            double plain = 0;
            for (String id : r.contributors()) {
                plain += updates.get(id)[j];
            }
            assertThat((double) sum[j]).isCloseTo(plain, within(r.contributors().size() * q.step() + 1e-5));
        }
    }

    /** What the coordinator receives from one node looks uniform over Z_{2^32}, even for an all-zero update. */
    @Test
    void aMaskedVectorIsIndistinguishableFromUniform() {
        int d = 65_536;
        KeysShared k = KeysShared.of(List.of("u", "v", "w"), d);
        SecAggClient u = k.clients().get("u");
        Map<String, byte[]> collect = k.server().collectRequests();
        int[] y = SecAggMessages.MaskedVector.parse(u.collectMaskedVector(collect.get("u"), new int[d]), d)
                .values();
        long[] bins = new long[256];
        for (int x : y) {
            bins[x >>> 24]++;
        }
        double[] p = new double[256];
        java.util.Arrays.fill(p, 1 / 256.0);
        assertThat(dev.atelier.core.privacy.ChiSquareAccess.statistic(bins, p))
                .isLessThan(dev.atelier.core.privacy.ChiSquareAccess.critical(255));
        long[] low = new long[256];
        for (int x : y) {
            low[x & 0xff]++;
        }
        assertThat(dev.atelier.core.privacy.ChiSquareAccess.statistic(low, p))
                .isLessThan(dev.atelier.core.privacy.ChiSquareAccess.critical(255));
    }

    @Test
    void aClientRefusesToRevealBothSharesOfANode() {
        KeysShared k = KeysShared.of(List.of("a", "b", "c"), 4);
        Map<String, SecAggClient> cs = k.clients();
        SecAggClient a = cs.get("a");
        SecAggServer server = k.server();
        server.receiveMasked(
                answer(server.collectRequests(), Set.of(), (id, x) -> cs.get(id).collectMaskedVector(x, new int[4])));
        byte[] evil = new SecAggMessages.UnmaskRequest(List.of("a", "b", "c"), List.of("b")).toBytes();
        assertThatThrownBy(() -> a.unmask(evil)).hasMessageContaining("listed both as survivor and dropout");
        assertThatThrownBy(() -> a.setup(new byte[3]))
                .hasMessageContaining("expected SecAgg stage none (round finished)");
    }

    /** A coordinator that withholds the neighbours' shares would otherwise get a vector under the self mask only. */
    @Test
    void aClientRefusesToMaskWithTooFewNeighbours() {
        KeysShared k = KeysShared.of(List.of("a", "b", "c"), 4);
        SecAggClient a = k.clients().get("a");
        SecAggServer server = k.server();
        byte[] nothing = new SecAggMessages.Ciphertexts(Map.of()).toBytes();
        assertThatThrownBy(() -> a.collectMaskedVector(nothing, new int[4]))
                .hasMessageContaining("node a refuses to mask: shares from only 0 neighbours, threshold 2");
        assertThatThrownBy(() -> server.finish(Map.of()))
                .hasMessageContaining("expected stage secagg.collect_masked_vectors");
    }

    @Test
    void malformedPayloadsFailWithAReason() {
        SecAggClient a = new SecAggClient("a", new SecureRandom());
        assertThatThrownBy(() -> a.setup(new byte[] {0, 0, 0, 5, 1}))
                .hasMessageContaining("malformed SecAgg setup request");
        assertThat(SecAggStage.fromWireName("secagg.unmask")).isEqualTo(SecAggStage.UNMASK);
        assertThatThrownBy(() -> SecAggStage.fromWireName("x")).hasMessageContaining("unknown SecAgg stage");
    }
}
