package dev.atelier.zo.zorba;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.zo.compare.FirstOrderFedAvg;
import dev.atelier.zo.compare.TaskEval;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.LmTokenizer;
import dev.atelier.zo.task.TaskItem;
import dev.atelier.zo.task.TextTask;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The demo's first-order FedAvg row: the stores whose budgets hold the measured first-order peak
 * train ({@link FirstOrderFedAvg}, DJL backprop + Adam), the others are left out with the
 * reason; bytes are computed (F32 weights up and down per round). Not thread-safe.
 */
final class FirstOrderRow {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FirstOrderRow() {}

    static DemoResult.Method run(
            Path modelDir,
            LmTokenizer tok,
            TextTask task,
            List<List<TaskItem>> split,
            List<String> ids,
            long[] budget,
            long foPeak,
            TaskEval eval,
            TaskEval.Score zero,
            ZorbaDemo.Settings s,
            Path out,
            PrintStream log)
            throws Exception {
        List<List<TaskItem>> in = new ArrayList<>();
        List<DemoResult.Client> clients = new ArrayList<>();
        long params = CausalLm.load(modelDir).parameterCount();
        for (int i = 0; i < split.size(); i++) {
            boolean ok = budget[i] >= foPeak;
            if (ok) {
                in.add(split.get(i));
            }
            long[] bytes = new long[s.harness().rounds()];
            java.util.Arrays.fill(bytes, ok ? 4 * params : 0);
            clients.add(new DemoResult.Client(
                    ids.get(i),
                    split.get(i).size(),
                    budget[i],
                    ok
                            ? null
                            : "budget " + ZorbaDemo.mibText(budget[i])
                                    + " is below the first-order client's measured peak " + ZorbaDemo.mibText(foPeak),
                    ok ? allBlocks(CausalLm.load(modelDir).numBlocks()) : new TreeSet<>(),
                    -1,
                    ok ? foPeak : -1,
                    bytes,
                    bytes.clone()));
        }
        long t0 = System.nanoTime();
        Files.createDirectories(out);
        Path metrics = out.resolve("fo-metrics.jsonl");
        FirstOrderFedAvg.Outcome outcome = FirstOrderFedAvg.run(
                CausalLm.load(modelDir),
                CausalLm.load(modelDir),
                tok,
                task.labelWords(),
                in,
                eval,
                new FirstOrderFedAvg.Settings(
                        s.harness().rounds(),
                        s.harness().foSteps(),
                        s.harness().foBatch(),
                        s.harness().foLr(),
                        s.harness().seed()),
                metrics,
                null);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<DemoResult.Point> points = new ArrayList<>();
        points.add(ZorbaDemo.point(0, zero));
        for (String line : Files.readAllLines(metrics)) {
            JsonNode o = JSON.readTree(line);
            points.add(ZorbaDemo.point(o.get("round").intValue(), k -> o.get(k).doubleValue()));
        }
        DemoResult.Point last = points.get(points.size() - 1);
        log.printf(
                Locale.ROOT,
                "%s: %d of %d stores, test accuracy %.3f [%.3f, %.3f], loss %.4f, %.1f s%n",
                ZorbaDemo.FO,
                in.size(),
                split.size(),
                last.accuracy(),
                last.low(),
                last.high(),
                last.loss(),
                seconds);
        DemoResult.VsZeroShot vs = ZorbaDemo.vsZeroShot(zero, outcome.score());
        log.println(ZorbaDemo.FO + " vs zero-shot: " + vs.paired() + (vs.separated() ? ", intervals separated" : ""));
        return new DemoResult.Method(
                ZorbaDemo.FO, points, clients, "computed", seconds / s.harness().rounds(), null, vs);
    }

    private static SortedSet<Integer> allBlocks(int layers) {
        SortedSet<Integer> all = new TreeSet<>();
        IntStream.range(0, layers).forEach(all::add);
        return all;
    }
}
