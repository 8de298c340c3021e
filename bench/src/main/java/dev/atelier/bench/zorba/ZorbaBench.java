package dev.atelier.bench.zorba;

import dev.atelier.zo.data.Gcide;
import dev.atelier.zo.data.WordNet;
import dev.atelier.zo.firstorder.BaseLm;
import dev.atelier.zo.model.RandomCheckpoint;
import dev.atelier.zo.task.GarmentTask;
import dev.atelier.zo.zorba.DemoReport;
import dev.atelier.zo.zorba.DemoResult;
import dev.atelier.zo.zorba.ZorbaDemo;
import dev.atelier.zo.zorba.ZorbaMemory;
import dev.atelier.zo.zorba.ZorbaRatios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./atelier bench zorba}: one run of the ZorBA demo harness ({@link ZorbaDemo}: base LM,
 * garment task, 8 stores with budgets spanning 4×, client peaks by the memory protocol) and the
 * ratios of {@link ZorbaRatios}, printed and written with the report into {@code --out};
 * {@code --large-model} adds {@link ZorbaMemory}'s measured client peaks on a larger checkpoint
 * ({@code large-model.txt}).
 */
@Command(
        name = "zorba",
        mixinStandardHelpOptions = true,
        description = "ZorBA vs first-order FedAvg and full-model ZO in one run: client peak ratios (memory"
                + " protocol), upload per store per round, accuracy gap with 95%% interval, wall time per round.")
public final class ZorbaBench implements Callable<Integer> {
    @Option(names = "--rounds", description = "Rounds of every method (default: ${DEFAULT-VALUE}).")
    int rounds = ZorbaDemo.Settings.ROUNDS;

    @Option(names = "--stores", defaultValue = "8", description = "Stores (default: ${DEFAULT-VALUE}).")
    int stores;

    @Option(
            names = "--out",
            defaultValue = "target/bench-zorba",
            description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--report",
            paramLabel = "FILE",
            description = "Print the ratios of an earlier run's report.json (atelier zo demo) instead of running.")
    Path report;

    @Option(
            names = "--large-model",
            paramLabel = "DIR|gpt2-124m",
            description = "Also compare client peaks without training on this checkpoint (gpt2-124m: GPT-2 124M's"
                    + " config with random weights, written into --out once).")
    String largeModel;

    @Option(names = "--large-only", description = "Only the --large-model comparison (no training run).")
    boolean largeOnly;

    @Option(
            names = "--large-rows",
            defaultValue = "2",
            description = "Batch rows of the large-model clients (default: ${DEFAULT-VALUE}).")
    int largeRows;

    @Option(
            names = "--large-seq",
            defaultValue = "32",
            description = "Tokens per row of the large-model clients (default: ${DEFAULT-VALUE}).")
    int largeSeq;

    @Override
    public Integer call() throws Exception {
        if (report != null) {
            System.out.print(ZorbaRatios.of(DemoResult.fromJson(Files.readString(report)))
                    .format());
            return 0;
        }
        Path model = BaseLm.getOrPretrain(
                        WordNet.DEFAULT_DIR,
                        Gcide.DEFAULT_DIR,
                        BaseLm.Settings.DEFAULT,
                        BaseLm.defaultCacheDir(),
                        System.err)
                .dir();
        var task = GarmentTask.load(WordNet.DEFAULT_DIR, Gcide.DEFAULT_DIR).task();
        var s = ZorbaDemo.Settings.defaults(stores, rounds, ZorbaDemo.Settings.ZO_STEPS, 0.5, 0.1, 42);
        Files.createDirectories(out);
        if (!largeOnly) {
            DemoResult r = ZorbaDemo.run(model, task, s, out, ZorbaDemo.Peaks.protocol(1L << 30, 3), System.err);
            DemoReport.write(r, out);
            String text = ZorbaRatios.of(r).format();
            Files.writeString(out.resolve("ratios.txt"), text);
            System.out.print(text);
            System.out.println("report: " + out.resolve("report.html"));
        }
        if (largeModel != null) {
            Path dir = Path.of(largeModel);
            if (largeModel.equals(RandomCheckpoint.Preset.GPT2_124M.id)) {
                dir = out.resolve(largeModel);
                if (!Files.exists(dir.resolve("model.safetensors"))) {
                    RandomCheckpoint.write(dir, RandomCheckpoint.Preset.GPT2_124M, 1);
                }
            }
            List<Long> examples = ZorbaDemo.split(task, s).stream()
                    .map(st -> (long) st.size())
                    .toList();
            var m = ZorbaMemory.run(
                    dir,
                    examples,
                    largeRows,
                    largeSeq,
                    s.coverageFloor(),
                    s.lexEpsilon(),
                    ZorbaDemo.Peaks.protocol(6L << 30, 2),
                    System.err);
            String text = m.format();
            Files.writeString(out.resolve("large-model.txt"), text);
            System.out.print(text);
        }
        return 0;
    }
}
