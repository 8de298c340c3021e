package dev.atelier.cli.zo;

import dev.atelier.core.run.ConsoleRunListener;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.zo.compare.Comparison;
import dev.atelier.zo.compare.ComparisonTable;
import dev.atelier.zo.compare.MemoryProbe;
import dev.atelier.zo.compare.Paired;
import dev.atelier.zo.compare.TaskEval;
import dev.atelier.zo.fed.FedKSeed;
import dev.atelier.zo.task.TextTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
     * Rounds of every trained row. The ZO row's head rows need them (validation, docs/zo.md
     * "Label-row ZO"); 5 keep the default run within minutes on 2 cores.
     */
    static final int ROUNDS = 5;

    /**
     * The default ZO row: SPSA on the output head's label rows only ({@code head[labels]}, 26 × 128
     * = 3,328 parameters of the base LM), 96 steps of 16 rows per store per round (975 upload
     * bytes, under the 1 KiB goal), constant lr 1e-2: chosen on a validation split carved from the
     * training items (docs/zo.md, "Label-row ZO").
     */
    static final String TRAINABLE = Comparison.HEAD + Comparison.LABELS;

    static final int HEAD_STEPS = 96;
    static final int HEAD_BATCH = 16;
    static final double HEAD_LR = 1e-2;
    static final double HEAD_LR_DECAY = 1.0;

    /**
     * The full-model ZO baseline row (FedKSeed-like, every tensor): {@link Comparison#FULL_MODEL},
     * session 7's default ZO settings (docs/zo.md, Results); {@code --full-lr} changes its lr.
     */
    static final Comparison.ZoRun FULL_MODEL = Comparison.FULL_MODEL;

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
            names = "--validation",
            description = "Tune without the test split: carve a validation split (a third of the groups) from the"
                    + " training items and score every row on it; the test split is not read.")
    boolean validation;

    @Option(
            names = "--full-lr",
            paramLabel = "LR",
            description = "Learning rate of the full-model ZO baseline row (default: ${DEFAULT-VALUE}).")
    double fullLr = FULL_MODEL.lr();

    @Option(names = "--no-full-model", description = "Leave out the full-model ZO baseline row (FedKSeed-like).")
    boolean noFullModel;

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
        TextTask t = validation ? data.task().validation() : data.task();
        Comparison.Settings s = new Comparison.Settings(
                c.stores,
                data.alpha,
                c.rounds == null ? ROUNDS : c.rounds,
                c.steps == null ? HEAD_STEPS : c.steps,
                c.batch == null ? HEAD_BATCH : c.batch,
                c.lr == null ? HEAD_LR : c.lr,
                c.epsilon,
                c.k,
                foSteps,
                foBatch,
                foLr,
                c.seed,
                c.lrDecay == null ? HEAD_LR_DECAY : c.lrDecay,
                c.perturbations,
                c.trainable == null ? TRAINABLE : c.trainable,
                noFullModel
                        ? null
                        : new Comparison.ZoRun(
                                FULL_MODEL.steps(),
                                FULL_MODEL.batch(),
                                fullLr,
                                FULL_MODEL.lrDecay(),
                                FULL_MODEL.perturbations()));
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
     * Each trained row against the zero-shot row on the same test items, under the pass scorer
     * ({@link Comparison#PASS_SCORER}) and then the other: the paired difference with McNemar's
     * exact test, and whether the 95% intervals are separated (the issue's "beats the zero-shot
     * accuracy by more than the confidence interval", docs/zo.md).
     */
    static String versusZeroShot(Comparison.Result r) {
        Comparison.Row zero = r.rows().getFirst();
        StringBuilder b = new StringBuilder();
        for (Comparison.Row row : r.rows().subList(1, r.rows().size())) {
            for (TaskEval.Scorer sc : List.of(Comparison.PASS_SCORER, other(Comparison.PASS_SCORER))) {
                var a = row.score().accuracy(sc);
                b.append(String.format(
                        Locale.ROOT,
                        "%s vs %s, %s%s: %s; %.3f [%.3f, %.3f] vs %.3f [%.3f, %.3f]: 95%% intervals %s%n",
                        row.method(),
                        zero.method(),
                        sc.name().toLowerCase(Locale.ROOT),
                        sc == Comparison.PASS_SCORER ? " (pass scorer)" : "",
                        Paired.of(zero.score(), row.score(), sc),
                        a.value(),
                        a.low(),
                        a.high(),
                        zero.score().accuracy(sc).value(),
                        zero.score().accuracy(sc).low(),
                        zero.score().accuracy(sc).high(),
                        Paired.separated(zero.score(), row.score(), sc) ? "separated (beats it)" : "overlap"));
            }
        }
        return b.toString();
    }

    private static TaskEval.Scorer other(TaskEval.Scorer s) {
        return s == TaskEval.Scorer.CALIBRATED ? TaskEval.Scorer.UNCALIBRATED : TaskEval.Scorer.CALIBRATED;
    }
}
