package dev.atelier.cli.zo;

import dev.atelier.core.run.ConsoleRunListener;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.zo.compare.Comparison;
import dev.atelier.zo.compare.ComparisonTable;
import dev.atelier.zo.compare.MemoryProbe;
import dev.atelier.zo.data.Gcide;
import dev.atelier.zo.data.WordNet;
import dev.atelier.zo.fed.FedKSeed;
import dev.atelier.zo.firstorder.BaseLm;
import dev.atelier.zo.task.GarmentTask;
import dev.atelier.zo.task.TextTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The task side of {@code atelier zo simulate} (no {@code --data}): the garment task over
 * {@code --stores} non-IID stores on the base LM (or {@code --model}), compared as
 * {@link Comparison} and printed as {@link ComparisonTable} (also written to
 * {@code results.md} in the run directory).
 */
final class ZoTaskOptions {
    /** Tuned on this machine (2 cores): see docs/zo.md, Results. */
    static final int ROUNDS = 8;

    static final int ZO_STEPS = 16;
    static final int ZO_BATCH = 8;
    static final double ZO_LR = 2e-3;

    @Option(names = "--wordnet", paramLabel = "DIR", description = "WordNet dict folder (default: ${DEFAULT-VALUE}).")
    Path wordnet = WordNet.DEFAULT_DIR;

    @Option(names = "--gcide", paramLabel = "DIR", description = "GCIDE dictd folder (default: ${DEFAULT-VALUE}).")
    Path gcide = Gcide.DEFAULT_DIR;

    @Option(
            names = "--alpha",
            paramLabel = "A",
            description = "Dirichlet concentration of the task's store split (default: ${DEFAULT-VALUE}).")
    double alpha = 0.5;

    @Option(
            names = "--fo-steps",
            paramLabel = "N",
            description = "First-order Adam steps per store per round (default: ${DEFAULT-VALUE}).")
    int foSteps = 4;

    @Option(
            names = "--fo-batch",
            paramLabel = "N",
            description = "First-order rows per step (default: ${DEFAULT-VALUE}).")
    int foBatch = 16;

    @Option(
            names = "--fo-lr",
            paramLabel = "LR",
            description = "First-order Adam learning rate (default: ${DEFAULT-VALUE}).")
    float foLr = 1e-3f;

    @Option(
            names = "--memory",
            description = "Measure each client mode's peak memory in a child JVM (VmHWM minus idle baseline).")
    boolean memory;

    int run(ZoSimulateCommand c) throws Exception {
        if (c.modelChoice != null && c.modelChoice.tiny) {
            throw new IllegalArgumentException(
                    "--tiny is for --data token rows; the task needs a model with a tokenizer");
        }
        Path model = c.modelChoice != null
                ? c.modelChoice.model
                : BaseLm.getOrPretrain(wordnet, gcide, BaseLm.Settings.DEFAULT, BaseLm.defaultCacheDir(), System.err)
                        .dir();
        TextTask t = GarmentTask.load(wordnet, gcide).task();
        Comparison.Settings s = new Comparison.Settings(
                c.stores,
                alpha,
                c.rounds == null ? ROUNDS : c.rounds,
                c.steps == null ? ZO_STEPS : c.steps,
                c.batch == null ? ZO_BATCH : c.batch,
                c.lr == null ? ZO_LR : c.lr,
                c.epsilon,
                c.k,
                foSteps,
                foBatch,
                foLr,
                c.seed);
        RunDirectory dir = new RunDirectory(c.runs.next("zo-" + FedKSeed.NAME));
        System.err.printf(
                Locale.ROOT,
                "task %s (%d train, %d test) over %d stores (alpha %.2f), model %s, %s -> %s%n",
                t.name(),
                t.train().size(),
                t.test().size(),
                c.stores,
                alpha,
                model,
                s,
                dir.path());
        Comparison.Result r = Comparison.run(
                model,
                t,
                s,
                dir,
                new ConsoleRunListener(System.out, ""),
                System.err,
                memory ? MemoryProbe.childJvm(1L << 30, 3) : MemoryProbe.OFF);
        String table = ComparisonTable.format(r);
        System.out.printf(
                Locale.ROOT,
                "%d stores with items, %d train / %d test items, %d parameters%n",
                r.stores(),
                r.trainItems(),
                r.testItems(),
                r.parameters());
        System.out.print(table);
        Files.writeString(dir.path().resolve("results.md"), table);
        System.out.println("run written to " + dir.path());
        return 0;
    }
}
