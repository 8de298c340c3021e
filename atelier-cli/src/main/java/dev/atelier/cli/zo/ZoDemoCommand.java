package dev.atelier.cli.zo;

import dev.atelier.cli.common.RunsDirOption;
import dev.atelier.zo.data.Gcide;
import dev.atelier.zo.data.WordNet;
import dev.atelier.zo.firstorder.BaseLm;
import dev.atelier.zo.task.GarmentTask;
import dev.atelier.zo.task.TextTask;
import dev.atelier.zo.zorba.DemoReport;
import dev.atelier.zo.zorba.DemoResult;
import dev.atelier.zo.zorba.ZorbaDemo;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier zo demo}: ZorBA end to end ({@link ZorbaDemo}) on the base LM and the garment
 * task, writing {@code report.html} and {@code report.json} into {@code runs/<run-id>/}.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "ZorBA demo: stores with memory budgets spanning 4x fine-tune the base LM on the garment task"
                + " under first-order FedAvg, full-model ZO (FedKSeed), ZorBA and ZorBA without its second"
                + " (lexicographic) stage. Measures client peaks in child JVMs (memory protocol) and writes"
                + " runs/<run-id>/report.html and report.json: accuracy and loss per round, per-store peak memory"
                + " predicted vs measured vs budget, bytes per store per round, the allocation picture.")
public final class ZoDemoCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "Hugging Face model folder (default: the base LM).")
    Path model;

    @Option(names = "--wordnet", paramLabel = "DIR", description = "WordNet dict folder (default: ${DEFAULT-VALUE}).")
    Path wordnet = WordNet.DEFAULT_DIR;

    @Option(names = "--gcide", paramLabel = "DIR", description = "GCIDE dictd folder (default: ${DEFAULT-VALUE}).")
    Path gcide = Gcide.DEFAULT_DIR;

    @Option(names = "--stores", description = "Stores (default: ${DEFAULT-VALUE}).")
    int stores = 8;

    @Option(names = "--rounds", description = "Federated rounds of every method (default: ${DEFAULT-VALUE}).")
    int rounds = ZorbaDemo.Settings.ROUNDS;

    @Option(
            names = "--local-steps",
            description = "ZorBA rows' SPSA steps per store per round (default: ${DEFAULT-VALUE}).")
    int steps = ZorbaDemo.Settings.ZO_STEPS;

    @Option(names = "--batch-size", description = "Rows per SPSA step of the ZorBA rows (default: ${DEFAULT-VALUE}).")
    int batch = ZorbaDemo.Settings.ZO_BATCH;

    @Option(names = "--lr", description = "ZorBA rows' learning rate (default: ${DEFAULT-VALUE}).")
    double lr = ZorbaDemo.Settings.ZO_LR;

    @Option(names = "--coverage-floor", description = "ZorBA coverage floor phi (default: ${DEFAULT-VALUE}).")
    double floor = 0.5;

    @Option(names = "--lex-epsilon", description = "ZorBA lexicographic slack epsilon (default: ${DEFAULT-VALUE}).")
    double lexEpsilon = 0.1;

    @Option(names = "--seed", description = "Run seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Mixin
    RunsDirOption runs;

    @Override
    public Integer call() throws Exception {
        Path dir = runs.next("zo-demo");
        Path m = model != null
                ? model
                : BaseLm.getOrPretrain(wordnet, gcide, BaseLm.Settings.DEFAULT, BaseLm.defaultCacheDir(), System.err)
                        .dir();
        TextTask t = GarmentTask.load(wordnet, gcide).task();
        ZorbaDemo.Settings s = ZorbaDemo.Settings.defaults(stores, rounds, steps, floor, lexEpsilon, seed)
                .withZo(batch, lr);
        System.err.printf(Locale.ROOT, "ZorBA demo: %d stores, %d rounds, model %s -> %s%n", stores, rounds, m, dir);
        DemoResult r = ZorbaDemo.run(m, t, s, dir, ZorbaDemo.Peaks.protocol(1L << 30, 3), System.err);
        DemoReport.write(r, dir);
        System.out.printf(Locale.ROOT, "report written to %s (%.0f s)%n", dir.resolve("report.html"), r.wallSeconds());
        return 0;
    }
}
