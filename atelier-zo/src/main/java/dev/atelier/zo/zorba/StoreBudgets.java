package dev.atelier.zo.zorba;

import dev.atelier.zo.alloc.Allocation;
import dev.atelier.zo.memory.ClientMode;
import dev.atelier.zo.memory.MemoryModel;
import dev.atelier.zo.model.LmConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The memory budgets of simulated stores (the per-virtual-client field of {@code atelier zo
 * simulate --zorba --store-budgets} and the demo's heterogeneous stores): given one per store, or
 * a 4× geometric spread ({@link #spread}). Stateless.
 */
public final class StoreBudgets {
    /** The ratio of the largest budget to the smallest in a default spread. */
    public static final double SPAN = 4;

    private StoreBudgets() {}

    /**
     * {@code n} budgets spanning {@link #SPAN}× geometrically up to {@code top}, the top raised when
     * needed so the smallest still holds {@code least} (ZorBA's least set) with 5% to spare.
     */
    public static long[] spread(int n, long top, long least) {
        if (n < 1 || top < 0 || least < 0) {
            throw new IllegalArgumentException(
                    "need n >= 1 and non-negative sizes, got " + n + ", " + top + ", " + least);
        }
        long t = Math.max(top, Math.round(SPAN * 1.05 * least));
        long[] budget = new long[n];
        for (int i = 0; i < n; i++) {
            budget[i] = Math.round(t / SPAN * Math.pow(SPAN, n == 1 ? 1 : (double) i / (n - 1)));
        }
        return budget;
    }

    /**
     * The simulation's default: a spread whose top is what ZorBA's planner counts for a store
     * holding every block ({@link MemoryModel#bound}), so the largest store may train the whole
     * model and the smallest a quarter of that (at least one block).
     */
    public static long[] forModel(int n, LmConfig c, int rows, int seqLen) {
        int layers = c.dims().numLayers();
        SortedSet<Integer> all = new TreeSet<>();
        for (int b = 0; b < layers; b++) {
            all.add(b);
        }
        MemoryModel m = MemoryModel.PROTOCOL;
        long top = m.bound(c, all, rows, seqLen, ZorbaPlanner.RESIDENCY);
        long least = m.bound(c, new TreeSet<>(List.of(layers - 1)), rows, seqLen, ZorbaPlanner.RESIDENCY);
        return spread(n, top, least);
    }

    /**
     * Parses one byte size per store, comma-separated in store order ({@link Declared#parseBytes}:
     * e.g. {@code 8MiB,8MiB,16MiB}).
     *
     * @throws IllegalArgumentException one line naming the bad entry or the count mismatch
     */
    public static long[] parse(String text, int stores) {
        String[] parts = text.split(",", -1);
        if (parts.length != stores) {
            throw new IllegalArgumentException("--store-budgets lists " + parts.length + " sizes for " + stores
                    + " stores: give one per store, in store order (e.g. 8MiB,8MiB,16MiB)");
        }
        long[] out = new long[stores];
        for (int i = 0; i < stores; i++) {
            try {
                out[i] = Declared.parseBytes(parts[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--store-budgets entry " + (i + 1) + ": " + e.getMessage());
            }
            if (out[i] == 0) {
                throw new IllegalArgumentException("--store-budgets entry " + (i + 1) + " is 0 bytes");
            }
        }
        return out;
    }

    /**
     * One line per store of {@code a}: its budget, and its blocks with the memory model's peak for
     * them, or why it is left out.
     */
    public static List<String> describe(
            Allocation a, List<String> ids, long[] budgets, LmConfig c, int rows, int seqLen) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            SortedSet<Integer> blocks = a.blocksOf(id);
            String what = blocks.isEmpty()
                    ? "left out: "
                            + a.exclusionOf(id)
                                    .map(Allocation.Exclusion::reason)
                                    .orElse("not allocated")
                    : String.format(
                            Locale.ROOT,
                            "blocks %s, predicted peak %.2f MiB",
                            blocks,
                            ZorbaDemo.mib(MemoryModel.PROTOCOL.expected(
                                    c, blocks, rows, seqLen, ClientMode.holding(ZorbaPlanner.RESIDENCY))));
            out.add(String.format(Locale.ROOT, "%s: budget %.2f MiB, %s", id, ZorbaDemo.mib(budgets[i]), what));
        }
        return out;
    }
}
