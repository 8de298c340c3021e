package dev.atelier.zo.zorba;

import dev.atelier.core.message.Config;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.core.run.RunListener;
import dev.atelier.core.transport.WireLedger;
import dev.atelier.zo.alloc.Allocation;
import dev.atelier.zo.compare.Comparison;
import dev.atelier.zo.compare.TaskEval;
import dev.atelier.zo.fed.ZoSimulation;
import dev.atelier.zo.memory.ClientJob;
import dev.atelier.zo.memory.ClientMode;
import dev.atelier.zo.memory.MemoryModel;
import dev.atelier.zo.model.LmConfig;
import dev.atelier.zo.task.TaskItem;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;

/**
 * The demo's ZO rows (full-model ZO, ZorBA, ZorBA without the lexicographic stage): one {@link
 * ZoSimulation} run each with {@link TaskEval} after every round, the stores' wire bytes per
 * round, and for ZorBA the per-store peaks of the allocated block sets. Not thread-safe.
 */
final class ZoRows {
    private ZoRows() {}

    /** ZorBA's per-client peaks: predicted from each allocated block set, measured once per distinct set. */
    record ZorbaRow(
            ZorbaPlanner planner,
            long[] budget,
            List<List<TaskItem>> split,
            List<String> ids,
            LmConfig cfg,
            int rows,
            int seq,
            ZorbaDemo.Peaks peaks,
            Path modelDir,
            Map<SortedSet<Integer>, Long> measured) {
        List<DemoResult.Client> clients() throws Exception {
            Allocation a = planner.history().get(0);
            List<DemoResult.Client> out = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                SortedSet<Integer> blocks = a.blocksOf(id);
                String why = blocks.isEmpty()
                        ? a.exclusionOf(id).map(Allocation.Exclusion::reason).orElse("not allocated")
                        : null;
                long predicted = -1;
                long peak = -1;
                if (why == null) {
                    // the client memory model's prediction for what this store holds
                    predicted = MemoryModel.PROTOCOL.expected(
                            cfg, blocks, rows, seq, ClientMode.holding(ZorbaPlanner.RESIDENCY));
                    Long m = measured.get(blocks);
                    if (m == null) {
                        m = peaks.zo(new ClientJob(
                                modelDir, blocks, rows, seq, 3, ClientMode.holding(ZorbaPlanner.RESIDENCY), 1));
                        measured.put(blocks, m);
                    }
                    peak = m;
                }
                out.add(new DemoResult.Client(
                        id, split.get(i).size(), budget[i], why, blocks, predicted, peak, null, null));
            }
            return out;
        }
    }

    /**
     * Whether {@code other}, planning rounds 1..{@code rounds} for the stores {@code ids} (in the
     * order {@code ran} saw them), gives
     * every store the same blocks (or exclusion) in every round as {@code ran} did in its run
     * (false when {@code ran} is null). Plans {@code other}'s rounds as a side effect (its history
     * and allocation log then hold them).
     */
    static boolean plansAlike(ZorbaPlanner ran, ZorbaPlanner other, List<String> ids, int rounds) {
        if (ran == null || ran.history().size() != rounds) {
            return false;
        }
        // the stores in the order the run planned them (the solver breaks ties by client order)
        java.util.LinkedHashSet<String> order = new java.util.LinkedHashSet<>();
        Allocation first = ran.history().get(0);
        first.assigned().forEach(x -> order.add(x.client()));
        first.excluded().forEach(x -> order.add(x.client()));
        order.addAll(ids);
        List<dev.atelier.core.message.NodeInfo> nodes =
                order.stream().map(dev.atelier.core.message.NodeInfo::of).toList();
        for (int r = 1; r <= rounds; r++) {
            other.beginRound(r, nodes);
            Allocation a = ran.history().get(r - 1);
            Allocation b = other.current();
            if (b == null) {
                return false;
            }
            for (String id : ids) {
                if (!a.blocksOf(id).equals(b.blocksOf(id))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code ran}'s results under {@code name}, with {@code planner}'s own first allocation (proxy, stage flag). */
    static DemoResult.Method sameRun(String name, DemoResult.Method ran, ZorbaPlanner planner) {
        return new DemoResult.Method(
                name,
                ran.points(),
                ran.clients(),
                ran.bytesSource(),
                ran.secondsPerRound(),
                planner.history().get(0),
                ran.vsZeroShot());
    }

    static DemoResult.Method zo(
            String name,
            Path modelDir,
            List<ZoSimulation.Store> stores,
            List<DemoResult.Client> clients,
            ZorbaRow zorba,
            TaskEval.Score zero,
            TaskEval eval,
            Config train,
            ZorbaDemo.Settings s,
            Path dir,
            PrintStream log)
            throws Exception {
        long t0 = System.nanoTime();
        TaskEval.Score[] last = new TaskEval.Score[1]; // the last round's score, for the paired test
        ZoSimulation.Outcome o = ZoSimulation.run(
                modelDir,
                stores,
                new ZoSimulation.Settings(
                        s.harness().rounds(), s.harness().seed(), s.harness().k(), 1.0, 0, train, Comparison.PARALLEL),
                new RunDirectory(dir),
                RunListener.NONE,
                null,
                (round, global) -> {
                    last[0] = eval.of(global);
                    return last[0].metrics();
                },
                zorba == null ? null : zorba.planner());
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<DemoResult.Point> points = new ArrayList<>();
        points.add(ZorbaDemo.point(0, zero));
        for (RoundRecord r : o.result().rounds()) {
            Map<String, Double> e = r.eval();
            points.add(ZorbaDemo.point(r.round(), k -> e.getOrDefault(k, Double.NaN)));
        }
        List<DemoResult.Client> base = zorba == null ? clients : zorba.clients();
        List<DemoResult.Client> withBytes = new ArrayList<>();
        for (DemoResult.Client c : base) {
            long[] up = new long[s.harness().rounds()];
            long[] down = new long[s.harness().rounds()];
            if (c.excluded() == null || zorba != null) {
                o.wire().forEach((key, bytes) -> {
                    if (key.nodeId().equals(c.store()) && key.round() >= 1 && key.round() <= up.length) {
                        (key.direction() == WireLedger.Direction.FROM_NODE ? up : down)[key.round() - 1] += bytes;
                    }
                });
            }
            withBytes.add(new DemoResult.Client(
                    c.store(),
                    c.examples(),
                    c.budgetBytes(),
                    c.excluded(),
                    c.blocks(),
                    c.predictedPeak(),
                    c.measuredPeak(),
                    up,
                    down));
        }
        DemoResult.Point end = points.get(points.size() - 1);
        DemoResult.VsZeroShot vs = ZorbaDemo.vsZeroShot(zero, last[0]);
        log.printf(
                Locale.ROOT,
                "%s: %d of %d stores, test accuracy %.3f [%.3f, %.3f], loss %.4f, %.1f s; vs zero-shot %s%s%n",
                name,
                stores.size()
                        - (zorba == null
                                ? 0
                                : zorba.planner().history().get(0).excluded().size()),
                base.size(),
                end.accuracy(),
                end.low(),
                end.high(),
                end.loss(),
                seconds,
                vs.paired(),
                vs.separated() ? ", intervals separated" : "");
        return new DemoResult.Method(
                name,
                points,
                withBytes,
                "wire",
                seconds / s.harness().rounds(),
                zorba == null ? null : zorba.planner().history().get(0),
                vs);
    }
}
