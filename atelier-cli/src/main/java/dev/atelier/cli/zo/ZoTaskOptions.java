package dev.atelier.cli.zo;

import dev.atelier.core.run.ConsoleRunListener;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.zo.compare.Comparison;
import dev.atelier.zo.compare.ComparisonTable;
import dev.atelier.zo.compare.MemoryProbe;
import dev.atelier.zo.compare.Paired;
import dev.atelier.zo.fed.FedKSeed;
import dev.atelier.zo.task.TextTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The task side of {@code atelier zo simulate} (no {@code --data}): the garment task over
 * {@code --stores} non-IID stores on the base LM (or {@code --model}), compared as
 * {@link Comparison} and printed as {@link ComparisonTable} (also written to
 * {@code results.md} in the run directory).
 */
final class ZoTaskOptions {
    /**
     * Chosen on this machine (2 cores): see docs/zo.md, Results. With the learning rate halving
     * every round, rounds after the third would add 1/8 of the movement; 3 keep the default run
     * within minutes on an idle machine.
     */
    static final int ROUNDS = 3;

    static final int ZO_STEPS = 16;
    static final int ZO_BATCH = 8;
    static final double ZO_LR = 2e-3;
    static final double ZO_LR_DECAY = 0.5;

    @Mixin
    ZoDataOptions data;

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
        Path model = data.modelOrBase(c.modelChoice != null ? c.modelChoice.model : null);
        TextTask t = data.task();
        Comparison.Settings s = new Comparison.Settings(
                c.stores,
                data.alpha,
                c.rounds == null ? ROUNDS : c.rounds,
                c.steps == null ? ZO_STEPS : c.steps,
                c.batch == null ? ZO_BATCH : c.batch,
                c.lr == null ? ZO_LR : c.lr,
                c.epsilon,
                c.k,
                foSteps,
                foBatch,
                foLr,
                c.seed,
                c.lrDecay == null ? ZO_LR_DECAY : c.lrDecay,
                c.perturbations,
                c.trainable);
        RunDirectory dir = new RunDirectory(c.runs.next("zo-" + FedKSeed.NAME));
        System.err.printf(
                Locale.ROOT,
                "task %s (%d train, %d test) over %d stores (alpha %.2f), model %s, %s -> %s%n",
                t.name(),
                t.train().size(),
                t.test().size(),
                c.stores,
                data.alpha,
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
        String table = ComparisonTable.format(r) + versusZeroShot(r);
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

    /**
     * Each trained row against the zero-shot row on the same test items: the paired difference
     * with McNemar's exact test, and whether the 95% intervals are separated (the issue's "beats
     * the zero-shot accuracy by more than the confidence interval", docs/zo.md).
     */
    static String versusZeroShot(Comparison.Result r) {
        Comparison.Row zero = r.rows().getFirst();
        StringBuilder b = new StringBuilder();
        for (Comparison.Row row : r.rows().subList(1, r.rows().size())) {
            b.append(String.format(
                    Locale.ROOT,
                    "%s vs %s: %s; 95%% intervals %s%n",
                    row.method(),
                    zero.method(),
                    Paired.of(zero.score(), row.score()),
                    Paired.separated(zero.score(), row.score()) ? "separated (beats it)" : "overlap"));
        }
        return b.toString();
    }
}
