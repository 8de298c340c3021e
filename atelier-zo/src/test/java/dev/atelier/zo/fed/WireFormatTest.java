package dev.atelier.zo.fed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.params.ParamSet;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The seed pool, the reply payload and the update tensors: exact bytes, and refusals of bad input. */
class WireFormatTest {
    @Test
    void poolSeedsAndAssignmentsAreDeterministicDistinctAndInRange() {
        SeedPool pool = SeedPool.forRun(11, 64);
        assertThat(pool).isEqualTo(SeedPool.forRun(11, 64));
        assertThat(pool.poolSeed()).isNotEqualTo(SeedPool.forRun(12, 64).poolSeed());
        assertThat(pool.seed(3)).isEqualTo(SeedPool.forRun(11, 64).seed(3)).isNotEqualTo(pool.seed(4));
        int[] a = pool.assign(2, "n0", 64);
        assertThat(Arrays.stream(a).sorted().toArray())
                .isEqualTo(java.util.stream.IntStream.range(0, 64).toArray());
        assertThat(pool.assign(2, "n0", 8)).isEqualTo(Arrays.copyOf(a, 8)); // a prefix of the same shuffle
        assertThat(pool.assign(2, "n1", 8)).isNotEqualTo(pool.assign(2, "n0", 8));
        assertThat(pool.assign(3, "n0", 8)).isNotEqualTo(pool.assign(2, "n0", 8));
        assertThatThrownBy(() -> pool.seed(64)).hasMessageContaining("outside the pool [0, 64)");
        assertThatThrownBy(() -> pool.assign(1, "n0", 65)).hasMessageContaining("local_steps must be <= k");
        assertThatThrownBy(() -> new SeedPool(0, SeedPool.MAX_K + 1)).hasMessageContaining("[1, 65536]");
    }

    @Test
    void pairsEncodeToTenBytesEachAndRoundTrip() {
        List<ScalarPairs.Pair> pairs =
                List.of(new ScalarPairs.Pair(0, 1.5), new ScalarPairs.Pair(65535, -0.25), new ScalarPairs.Pair(7, 0));
        byte[] b = ScalarPairs.encode(pairs);
        assertThat(b).hasSize(3 + 10 * 3);
        assertThat(b[0]).isEqualTo((byte) 1);
        assertThat(ByteBuffer.wrap(b, 1, 2).getShort()).isEqualTo((short) 3);
        assertThat(ByteBuffer.wrap(b, 13, 2).getShort() & 0xFFFF).isEqualTo(65535); // unsigned on the wire
        assertThat(ScalarPairs.decode(b, SeedPool.MAX_K, 10, 3)).isEqualTo(pairs);
    }

    @Test
    void hostilePayloadsAreRefusedWithOneLine() {
        byte[] ok = ScalarPairs.encode(List.of(new ScalarPairs.Pair(5, 2.0)));
        assertThatThrownBy(() -> ScalarPairs.decode(new byte[2], 64, 10, 4)).hasMessageContaining("shorter than");
        byte[] version = ok.clone();
        version[0] = 2;
        assertThatThrownBy(() -> ScalarPairs.decode(version, 64, 10, 4)).hasMessageContaining("version 2");
        assertThatThrownBy(() -> ScalarPairs.decode(Arrays.copyOf(ok, ok.length + 1), 64, 10, 4))
                .hasMessageContaining("does not hold exactly 1 pairs");
        assertThatThrownBy(() -> ScalarPairs.decode(ok, 5, 10, 4)).hasMessageContaining("outside the pool [0, 5)");
        assertThatThrownBy(() -> ScalarPairs.decode(ok, 64, 1.5, 4)).hasMessageContaining("outside ±1.5");
        byte[] nan = ScalarPairs.encode(List.of(new ScalarPairs.Pair(5, Double.NaN)));
        assertThatThrownBy(() -> ScalarPairs.decode(nan, 64, 10, 4)).hasMessageContaining("NaN");
        byte[] twice = ScalarPairs.encode(List.of(new ScalarPairs.Pair(5, 1), new ScalarPairs.Pair(5, 1)));
        assertThatThrownBy(() -> ScalarPairs.decode(twice, 64, 10, 4)).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> ScalarPairs.decode(twice, 64, 10, 1)).hasMessageContaining("more than the 1");
        // a count claiming 65535 pairs in a 13-byte payload
        byte[] lying = ok.clone();
        lying[1] = (byte) 0xFF;
        lying[2] = (byte) 0xFF;
        assertThatThrownBy(() -> ScalarPairs.decode(lying, 64, 10, 65535)).hasMessageContaining("does not hold");
    }

    @Test
    void updatesRoundTripAsSixteenBytesPerEntryAndBadOnesAreRefused() {
        RoundUpdate r1 = new RoundUpdate(1, new int[] {2, 9}, new double[] {0.5, -1e-3});
        RoundUpdate r3 = new RoundUpdate(3, new int[] {0}, new double[] {Math.PI});
        UpdateLog log = new UpdateLog();
        log.put(r1);
        log.put(r3);
        ParamSet all = log.slice(0, 3);
        assertThat(all.byteSize()).isEqualTo(3 * 16).isEqualTo(log.bytes(0, 3));
        assertThat(UpdateLog.decode(all, 0, 3, 16, 10)).containsExactly(r1, r3);
        assertThat(UpdateLog.decode(log.slice(1, 3), 1, 3, 16, 10)).containsExactly(r3);
        assertThat(log.slice(3, 3).isEmpty()).isTrue();
        assertThat(UpdateLog.restore(log.all(), 16, 10).between(0, 9)).containsExactly(r1, r3);

        assertThatThrownBy(() -> UpdateLog.decode(all, 1, 3, 16, 10)).hasMessageContaining("outside (1, 3]");
        assertThatThrownBy(() -> UpdateLog.decode(all, 0, 2, 16, 10)).hasMessageContaining("outside (0, 2]");
        assertThatThrownBy(() -> UpdateLog.decode(all, 0, 3, 9, 10)).hasMessageContaining("outside [0, 9)");
        assertThatThrownBy(() -> UpdateLog.decode(all, 0, 3, 16, 1)).hasMessageContaining("outside ±1.0");
        assertThatThrownBy(() -> UpdateLog.decode(all.select(n -> !n.equals(UpdateLog.G)), 0, 3, 16, 10))
                .hasMessageContaining("update tensors must be");
        assertThatThrownBy(() -> new RoundUpdate(2, new int[] {3, 3}, new double[] {1, 1}))
                .hasMessageContaining("strictly increasing");
    }

    @Test
    void theMergeIsExampleWeightedPerSeedAndRefusesUnassignedSeeds() throws Exception {
        SeedPool pool = new SeedPool(1, 16);
        ZoFedSettings s = new ZoFedSettings(2, 1, 1e-3, 1e-3, 100);
        SeedScalarAggregator agg = new SeedScalarAggregator(
                4, pool, s, java.util.Map.of("a", Set.of(1, 2), "b", new HashSet<>(List.of(2, 3))));
        agg.accept(reply("a", 1, List.of(new ScalarPairs.Pair(1, 4.0), new ScalarPairs.Pair(2, 1.0))));
        agg.accept(reply("b", 3, List.of(new ScalarPairs.Pair(2, 2.0), new ScalarPairs.Pair(3, -8.0))));
        assertThatThrownBy(() -> agg.accept(reply("a", 1, List.of(new ScalarPairs.Pair(3, 1.0)))))
                .hasMessageContaining("seed index 3 was not assigned to a in round 4");
        assertThatThrownBy(() -> agg.accept(reply("c", 1, List.of(new ScalarPairs.Pair(3, 1.0)))))
                .hasMessageContaining("assigned no seeds");
        RoundUpdate u = agg.update();
        assertThat(u.indices()).containsExactly(1, 2, 3);
        // weights 1/4 and 3/4
        assertThat(u.g()).containsExactly(1.0, 0.25 * 1.0 + 0.75 * 2.0, -6.0);
        assertThat(agg.accepted()).isEqualTo(2);
    }

    private static dev.atelier.core.message.Reply reply(String node, long examples, List<ScalarPairs.Pair> pairs) {
        return new dev.atelier.core.message.Reply(
                node, 4, ParamSet.empty(), examples, java.util.Map.of(), ScalarPairs.encode(pairs));
    }
}
