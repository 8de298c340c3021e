package dev.atelier.core.privacy.secagg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.privacy.AesCtrPrg;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Any round, any dropout pattern: the coordinator either gets the exact sum of exactly the nodes
 * that sent a masked vector, or aborts with a reason — never a wrong sum, never a partial unmask.
 * A client that refuses a stage counts as a dropout there, as a transport would report it.
 */
class SecAggPropertiesTest {
    private static final int D = 8;

    @Property(tries = 100, seed = "20261201") // fixed: the coverage check below must not flake
    void exactSumOrAbort(
            @ForAll @IntRange(min = 3, max = 11) int n,
            @ForAll @IntRange(min = 0, max = 100) int sharesPick,
            @ForAll @IntRange(min = 0, max = 100) int thresholdPick,
            @ForAll long dropSeed) {
        int maxShares = n % 2 == 1 ? n : n - 1;
        int numShares = 3 + 2 * (sharesPick % ((maxShares - 3) / 2 + 1));
        int threshold = 2 + thresholdPick % (numShares - 1);
        List<String> ids = new ArrayList<>();
        Map<String, SecAggClient> clients = new TreeMap<>();
        Map<String, int[]> vectors = new TreeMap<>();
        java.util.Random pick = new java.util.Random(dropSeed); // test-only: which nodes drop
        for (int i = 0; i < n; i++) {
            String id = "n" + i;
            ids.add(id);
            clients.put(id, new SecAggClient(id, new SecureRandom()));
            int[] v = new int[D];
            for (int j = 0; j < D; j++) {
                v[j] = pick.nextInt();
            }
            vectors.put(id, v);
        }
        Set<String> gone = new HashSet<>();
        SecAggServer server = new SecAggServer("r", ids, numShares, threshold, D, new AesCtrPrg(new byte[32]));
        Set<String> sent = new HashSet<>();
        try {
            server.receiveSetup(answer(
                    server.setupRequests(),
                    gone,
                    pick,
                    (id, b) -> clients.get(id).setup(b)));
            server.receiveShareKeys(answer(
                    server.shareKeysRequests(),
                    gone,
                    pick,
                    (id, b) -> clients.get(id).shareKeys(b)));
            Map<String, byte[]> masked = answer(
                    server.collectRequests(),
                    gone,
                    pick,
                    (id, b) -> clients.get(id).collectMaskedVector(b, vectors.get(id)));
            sent.addAll(masked.keySet());
            server.receiveMasked(masked);
            SecAggServer.Result r = server.finish(answer(
                    server.unmaskRequests(),
                    gone,
                    pick,
                    (id, b) -> clients.get(id).unmask(b)));
            assertThat(Set.copyOf(r.contributors())).isEqualTo(sent);
            int[] expected = new int[D];
            for (String id : sent) {
                for (int j = 0; j < D; j++) {
                    expected[j] += vectors.get(id)[j];
                }
            }
            assertThat(r.sum()).containsExactly(expected);
            Statistics.collect(r.droppedAfterSharing().isEmpty() ? "sum" : "sum after unmasking dropouts");
        } catch (SecAggAbortException aborted) {
            assertThat(aborted.getMessage()).startsWith("secure aggregation aborted at secagg.");
            Statistics.collect("abort");
        }
        // not vacuous: both outcomes occur, including sums that needed a dropout's mask key
        Statistics.coverage(c -> {
            c.check("sum after unmasking dropouts").percentage(p -> p >= 10);
            c.check("abort").percentage(p -> p >= 10);
        });
    }

    /** Each live node drops before answering with probability 1/10; a refusal is a dropout. */
    private static Map<String, byte[]> answer(
            Map<String, byte[]> requests,
            Set<String> gone,
            java.util.Random pick,
            BiFunction<String, byte[], byte[]> f) {
        Map<String, byte[]> out = new TreeMap<>();
        requests.forEach((id, b) -> {
            if (!gone.contains(id) && pick.nextInt(10) == 0) {
                gone.add(id);
            }
            if (gone.contains(id)) {
                return;
            }
            try {
                out.put(id, f.apply(id, b));
            } catch (IllegalArgumentException refused) {
                gone.add(id);
            }
        });
        return out;
    }
}
