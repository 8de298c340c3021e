package dev.atelier.zo.zorba;

import dev.atelier.core.message.Config;
import dev.atelier.zo.alloc.Allocation;
import dev.atelier.zo.fed.BlockLayout;
import dev.atelier.zo.fed.ZoFedSettings;
import dev.atelier.zo.fed.ZoSimulation;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.LmConfig;
import dev.atelier.zo.train.Trainable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ZorBA for {@code atelier zo simulate --zorba}: each virtual store declares a memory budget
 * ({@link StoreBudgets}: given, or the default 4× spread) and its row count, and a {@link
 * ZorbaPlanner} (ZorBA's memory rule, batch rows × tokens per row of the run) allocates the
 * blocks each round; every allocation is appended to {@code allocations.jsonl}. Not thread-safe.
 *
 * @param budgets each store's budget, in store order
 */
public record ZorbaSimulation(
        ZorbaPlanner planner, List<String> ids, long[] budgets, LmConfig config, int rows, int seqLen) {
    /**
     * @param budgetsText {@code --store-budgets}, or null for {@link StoreBudgets#forModel}
     * @param maxLen      tokens per row at most (clipped to the model's positions)
     * @param train       the run's train settings: what every store perturbs besides its blocks
     *                    ({@code zo.always_trainable}) is held by every store, so the memory rule
     *                    counts it
     */
    public static ZorbaSimulation of(
            Path modelDir,
            List<ZoSimulation.Store> stores,
            int rows,
            int maxLen,
            String budgetsText,
            double coverageFloor,
            double lexEpsilon,
            Config train,
            Path allocationLog)
            throws IOException {
        CausalLm model = CausalLm.load(modelDir);
        BlockLayout layout = BlockLayout.of(model);
        long alwaysScalars = ZoFedSettings.read(train).updateScope().alwaysScalars(Trainable.all(model), layout);
        LmConfig cfg = model.config();
        int seq = Math.min(maxLen, cfg.dims().maxPositions());
        List<String> ids = stores.stream().map(ZoSimulation.Store::nodeId).toList();
        long[] budgets = budgetsText == null
                ? StoreBudgets.forModel(ids.size(), cfg, rows, seq)
                : StoreBudgets.parse(budgetsText, ids.size());
        Map<String, Declared> table = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            table.put(
                    ids.get(i),
                    new Declared(budgets[i], stores.get(i).data().trainRows().size()));
        }
        Files.deleteIfExists(allocationLog);
        ZorbaPlanner planner = ZorbaPlanner.simulated(
                cfg, layout, rows, seq, coverageFloor, lexEpsilon, true, alwaysScalars, table, allocationLog);
        return new ZorbaSimulation(planner, ids, budgets, cfg, rows, seq);
    }

    /** The first round's allocation per store, and how often the allocator re-solved. */
    public void print(PrintStream out) {
        List<Allocation> h = planner.history();
        if (h.isEmpty()) {
            out.println("zorba: no round was allocated");
            return;
        }
        out.printf(
                "zorba: %d allocations, %d solves (re-solved only when stores joined, left or changed budget);"
                        + " round 1:%n",
                h.size(), planner.solves());
        StoreBudgets.describe(h.get(0), ids, budgets, config, rows, seqLen).forEach(l -> out.println("  " + l));
    }
}
