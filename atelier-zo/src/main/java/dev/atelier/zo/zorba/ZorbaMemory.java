package dev.atelier.zo.zorba;

import dev.atelier.zo.alloc.Allocation;
import dev.atelier.zo.alloc.AllocationSession;
import dev.atelier.zo.memory.ClientJob;
import dev.atelier.zo.memory.ClientMode;
import dev.atelier.zo.memory.MemoryModel;
import dev.atelier.zo.model.HfConfigReader;
import dev.atelier.zo.model.LmConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The bench's memory comparison on one checkpoint without training (for models too large to train
 * here, e.g. a random-init GPT-2 124M): the memory protocol measures the first-order client and
 * the full-model ZO client; the stores' budgets span 4× up to 1.25 × the first-order peak, as in
 * {@link ZorbaDemo}; ZorBA's allocator ({@link ZorbaPlanner#RESIDENCY}, the stores' example counts)
 * assigns the blocks; each distinct assigned set is measured once ({@link ClientMode#holding} it).
 * Not thread-safe.
 */
public final class ZorbaMemory {
    /** One store's ZorBA client: its budget, blocks, expected and measured peak (bytes; −1 excluded). */
    public record Store(
            String id, long examples, long budgetBytes, SortedSet<Integer> blocks, long expected, long measured) {}

    /** The measured peaks (bytes above the protocol's baseline) and the ratios of the largest ZorBA client. */
    public record Result(
            String model,
            long parameters,
            int rows,
            int seqLen,
            long firstOrderPeak,
            long fullZoPeak,
            long fullZoExpected,
            List<Store> stores,
            Allocation allocation) {
        public long maxZorbaPeak() {
            return stores.stream().mapToLong(Store::measured).max().orElse(-1);
        }

        public double meanZorbaPeak() {
            return stores.stream()
                    .filter(s -> s.measured() >= 0)
                    .mapToLong(Store::measured)
                    .average()
                    .orElse(Double.NaN);
        }

        /** The printout: one line per ratio, then one line per store. */
        public String format() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(
                    Locale.ROOT,
                    "%s (%,d parameters, %d rows x %d tokens): first-order %.1f MiB, full-model ZO %.1f MiB"
                            + " (expected %.1f)%n",
                    model,
                    parameters,
                    rows,
                    seqLen,
                    ZorbaDemo.mib(firstOrderPeak),
                    ZorbaDemo.mib(fullZoPeak),
                    ZorbaDemo.mib(fullZoExpected)));
            b.append(String.format(
                    Locale.ROOT,
                    "  largest ZorBA client / first-order client: %.3f (goal <= 0.35); / full-model ZO client: %.3f"
                            + " (goal < 1); mean ZorBA client / full-model ZO: %.3f%n",
                    (double) maxZorbaPeak() / firstOrderPeak,
                    (double) maxZorbaPeak() / fullZoPeak,
                    meanZorbaPeak() / fullZoPeak));
            for (Store s : stores) {
                b.append(String.format(
                        Locale.ROOT,
                        "  %s: %d examples, budget %.1f MiB, blocks %s, expected %.1f MiB, measured %.1f MiB%n",
                        s.id(),
                        s.examples(),
                        ZorbaDemo.mib(s.budgetBytes()),
                        s.blocks(),
                        ZorbaDemo.mib(s.expected()),
                        ZorbaDemo.mib(s.measured())));
            }
            return b.toString();
        }
    }

    private ZorbaMemory() {}

    /**
     * @param examples each store's example count (e.g. the demo's store split), in store order
     */
    public static Result run(
            Path modelDir,
            List<Long> examples,
            int rows,
            int seqLen,
            double coverageFloor,
            double epsilon,
            ZorbaDemo.Peaks peaks,
            PrintStream log)
            throws Exception {
        LmConfig cfg = HfConfigReader.read(modelDir.resolve("config.json"));
        int layers = cfg.dims().numLayers();
        SortedSet<Integer> all = new TreeSet<>();
        IntStream.range(0, layers).forEach(all::add);
        MemoryModel m = MemoryModel.PROTOCOL;
        long fo = peaks.firstOrder(modelDir, rows, seqLen);
        log.printf(Locale.ROOT, "%s: first-order client %.1f MiB%n", modelDir.getFileName(), ZorbaDemo.mib(fo));
        long full = peaks.zo(new ClientJob(modelDir, all, rows, seqLen, 2, ClientMode.FULL, 1));
        log.printf(Locale.ROOT, "%s: full-model ZO client %.1f MiB%n", modelDir.getFileName(), ZorbaDemo.mib(full));
        long[] budget =
                ZorbaDemo.budgets(examples.size(), fo, m.fixedBytes(cfg, rows, seqLen), MemoryModel.blockCosts(cfg));
        AllocationSession session = new AllocationSession(
                MemoryModel.blockCosts(cfg), coverageFloor, epsilon, true, ZorbaPlanner.RESIDENCY);
        for (int i = 0; i < examples.size(); i++) {
            session.join(m.client("store-" + i, budget[i], examples.get(i), cfg, rows, seqLen));
        }
        Allocation a = session.allocate(1);
        Map<SortedSet<Integer>, Long> measured = new HashMap<>();
        List<Store> stores = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            String id = "store-" + i;
            SortedSet<Integer> blocks = a.blocksOf(id);
            long expected = -1;
            long peak = -1;
            if (!blocks.isEmpty()) {
                expected = m.expected(cfg, blocks, rows, seqLen, ClientMode.holding(ZorbaPlanner.RESIDENCY));
                Long got = measured.get(blocks);
                if (got == null) {
                    got = peaks.zo(new ClientJob(
                            modelDir, blocks, rows, seqLen, 2, ClientMode.holding(ZorbaPlanner.RESIDENCY), 1));
                    measured.put(blocks, got);
                    log.printf(
                            Locale.ROOT,
                            "%s: ZorBA client %s %.1f MiB (expected %.1f)%n",
                            modelDir.getFileName(),
                            blocks,
                            ZorbaDemo.mib(got),
                            ZorbaDemo.mib(expected));
                }
                peak = got;
            }
            stores.add(new Store(id, examples.get(i), budget[i], blocks, expected, peak));
        }
        return new Result(
                modelDir.getFileName().toString(),
                cfg.parameterCount(),
                rows,
                seqLen,
                fo,
                full,
                m.expected(cfg, all, rows, seqLen, ClientMode.FULL),
                stores,
                a);
    }
}
