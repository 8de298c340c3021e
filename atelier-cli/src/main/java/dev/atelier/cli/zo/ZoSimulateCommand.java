package dev.atelier.cli.zo;

import dev.atelier.cli.common.RunsDirOption;
import dev.atelier.core.message.Config;
import dev.atelier.core.run.ConsoleRunListener;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.zo.fed.FedKSeed;
import dev.atelier.zo.fed.ZoFedSettings;
import dev.atelier.zo.fed.ZoSimulation;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.RandomCheckpoint;
import dev.atelier.zo.zorba.ZorbaSimulation;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier zo simulate}: a FedKSeed federation of stores in this JVM ({@link ZoSimulation});
 * prints a line per round and a table at the end; writes {@code runs/<run-id>/}. Without
 * {@code --data} it runs the task comparison of {@link ZoTaskOptions} instead ({@code --fraction},
 * {@code --max-len} and {@code --evaluate-every} apply to token rows only).
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Federated zeroth-order fine-tuning of a causal LM over virtual stores in this JVM: stores"
                + " send only (seed index, scalar) pairs; every store and the coordinator replay them into"
                + " bit-identical models. Without --data: the garment task on the base LM over --stores non-IID"
                + " stores, ZO-federated vs zero-shot vs first-order FedAvg, with a final table (accuracy with 95%% CI,"
                + " loss, client peak memory with --memory, upload bytes). Writes runs/<run-id>/ (metrics.jsonl with"
                + " loss, test accuracy and wire bytes per round).")
public final class ZoSimulateCommand implements Callable<Integer> {
    /** The tiny random model of --tiny: GPT-2 layout, vocab 512, 2 layers of width 64. */
    static final RandomCheckpoint.Spec TINY = new RandomCheckpoint.Spec(512, 64, 2, 4, 4, 16, 256, 128);

    static final class ModelChoice {
        @Option(names = "--model", paramLabel = "DIR", description = "Hugging Face model folder (GPT-2, OPT, Llama).")
        Path model;

        @Option(
                names = "--tiny",
                description = "A random tiny GPT-2 (vocab 512, 2 layers, width 64) written into the run directory;"
                        + " data must then be .ids token rows below 512.")
        boolean tiny;
    }

    @ArgGroup(multiplicity = "0..1")
    ModelChoice modelChoice;

    @Option(
            names = "--data",
            paramLabel = "PATH",
            description = "Token rows instead of the task: one subfolder per store (each with .jsonl {\"text\"} /"
                    + " {\"prompt\",\"completion\"} or .ids token-row files), or one folder/file cut into --stores"
                    + " contiguous blocks. Without it: the garment task, ZO-federated vs zero-shot vs first-order"
                    + " FedAvg.")
    Path data;

    @Mixin
    ZoTaskOptions task;

    @Option(
            names = "--stores",
            defaultValue = "8",
            description = "Stores of the task split, or when --data is not split into subfolders (default:"
                    + " ${DEFAULT-VALUE}).")
    int stores;

    @Option(names = "--rounds", description = "Federated rounds (default: 10 with --data, else the task's).")
    Integer rounds;

    @Option(
            names = "--local-steps",
            description = "SPSA steps per store per round, one assigned seed each (default: 8 with --data, else"
                    + " the task's).")
    Integer steps;

    @Option(names = "--batch-size", description = "Rows per SPSA step (default: 4 with --data, else the task's).")
    Integer batch;

    @Option(names = "--lr", description = "ZO learning rate (default: 1e-4 with --data, else the task's).")
    Double lr;

    @Option(names = "--epsilon", defaultValue = "1e-3", description = "Perturbation scale (default: ${DEFAULT-VALUE}).")
    double epsilon;

    @Option(
            names = "--lr-decay",
            paramLabel = "G",
            description = "ZO learning rate factor per round: round r uses lr*G^(r-1), part of every replay"
                    + " (default: 1 with --data, else the task's).")
    Double lrDecay;

    @Option(
            names = "--perturbations",
            paramLabel = "N",
            defaultValue = "1",
            description = "SPSA perturbations per local step, each its own assigned seed; the step moves by"
                    + " their mean (default: ${DEFAULT-VALUE}).")
    int perturbations;

    @Option(
            names = "--trainable",
            paramLabel = "GLOBS",
            description = "Tensors the ZO stores perturb and update: comma-separated globs over checkpoint"
                    + " names, * = any characters, e.g. '*ln_f.*,*h.1.*'; a glob may end in a row list,"
                    + " e.g. 'wte.weight[3,7-9]'; on the task 'head' names the output head's weight and"
                    + " '[labels]' the label words' rows (default: all with --data, else the task's"
                    + " 'head[labels]'; '*' = all).")
    String trainable;

    @Option(
            names = "--always-trainable",
            paramLabel = "GLOBS",
            description = "With --zorba: tensors (or rows, as in --trainable) every store perturbs and updates"
                    + " besides its allocated blocks, e.g. 'wte.weight[3-28]'; the memory rule counts them"
                    + " for every store (default: the blocks alone).")
    String alwaysTrainable;

    @Option(
            names = "--k",
            defaultValue = "1024",
            description = "Seed pool size K, at most 65536 (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(
            names = "--fraction",
            defaultValue = "1.0",
            description = "Share of stores sampled per round (default: ${DEFAULT-VALUE}).")
    double fraction;

    @Option(
            names = "--max-len",
            defaultValue = "64",
            description = "Tokens per row at most (default: ${DEFAULT-VALUE}).")
    int maxLen;

    @Option(
            names = "--evaluate-every",
            defaultValue = "1",
            description = "Held-out loss on the stores every N rounds, 0 = off (default: ${DEFAULT-VALUE}).")
    int evaluateEvery;

    @Option(
            names = "--parallel",
            defaultValue = "1",
            paramLabel = "N",
            description = "With --data: stores trained at once, each holding its own copy of the model (the"
                    + " results are the same at any N; time falls and memory grows; without --data the task's"
                    + " harness uses one per core; default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Run seed: sampling, seed pool, batches (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--zorba",
            description = "With --data: ZorBA instead of full-model FedKSeed. Each store declares a memory budget"
                    + " (--store-budgets) and the coordinator allocates it a block set that fits (or leaves it out,"
                    + " saying why); the stores hold only those blocks in memory. Writes allocations.jsonl.")
    boolean zorba;

    @Option(
            names = "--store-budgets",
            paramLabel = "SIZES",
            description = "With --zorba: one memory budget per store, comma-separated in store order, e.g."
                    + " 8MiB,8MiB,16MiB (B, KiB, MiB, GiB; KB, MB, GB). Default: a 4x geometric spread whose top"
                    + " holds the whole model under ZorBA's memory rule.")
    String storeBudgets;

    @Option(
            names = "--coverage-floor",
            defaultValue = "0.5",
            description = "With --zorba: coverage floor phi, the share of all examples each block must be"
                    + " trained on (default: ${DEFAULT-VALUE}).")
    double coverageFloor;

    @Option(
            names = "--lex-epsilon",
            defaultValue = "0.1",
            description = "With --zorba: slack epsilon of the lexicographic second stage (default: ${DEFAULT-VALUE}).")
    double lexEpsilon;

    @Mixin
    RunsDirOption runs;

    @Override
    public Integer call() throws Exception {
        if (data == null) {
            if (zorba || storeBudgets != null) {
                throw new picocli.CommandLine.ParameterException(
                        new picocli.CommandLine(this),
                        "--zorba and --store-budgets need --data token rows; ZorBA on the garment task with"
                                + " heterogeneous budgets is `atelier zo demo`");
            }
            return task.run(this);
        }
        if (parallel < 1 || parallel > 256) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--parallel must be between 1 and 256, got " + parallel);
        }
        if (alwaysTrainable != null && !zorba) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--always-trainable needs --zorba");
        }
        if (storeBudgets != null && !zorba) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--store-budgets needs --zorba");
        }
        int rounds = this.rounds == null ? 10 : this.rounds;
        int steps = this.steps == null ? ZoFedSettings.DEFAULT_STEPS : this.steps;
        int batch = this.batch == null ? ZoFedSettings.DEFAULT_BATCH : this.batch;
        double lr = this.lr == null ? ZoFedSettings.DEFAULT_LR : this.lr;
        if (modelChoice == null) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--data needs --model DIR or --tiny");
        }
        Config train = Config.of(Map.of(
                TrainKeys.LOCAL_STEPS, steps,
                TrainKeys.BATCH_SIZE, batch,
                TrainKeys.LEARNING_RATE, lr,
                ZoFedSettings.EPSILON, epsilon,
                ZoFedSettings.LR_DECAY, lrDecay == null ? 1.0 : lrDecay,
                ZoFedSettings.PERTURBATIONS, perturbations,
                ZoFedSettings.TRAINABLE, trainable == null ? "" : trainable,
                ZoFedSettings.ALWAYS_TRAINABLE, alwaysTrainable == null ? "" : alwaysTrainable));
        ZoFedSettings.read(train); // refuse bad settings before any work
        RunDirectory dir = new RunDirectory(runs.next("zo-" + (zorba ? FedKSeed.ZORBA : FedKSeed.NAME)));
        Path model = modelChoice.model;
        if (modelChoice.tiny) {
            model = dir.path().resolve("model");
            var shapes = RandomCheckpoint.shapes(Family.GPT2, TINY, true);
            RandomCheckpoint.write(
                    model,
                    RandomCheckpoint.config(Family.GPT2, TINY, true),
                    shapes,
                    RandomCheckpoint.random(shapes, seed, 0.02));
        }
        List<ZoSimulation.Store> st = ZoSimulation.stores(data, stores, model, maxLen);
        ZorbaSimulation z = zorba
                ? ZorbaSimulation.of(
                        model,
                        st,
                        batch,
                        maxLen,
                        storeBudgets,
                        coverageFloor,
                        lexEpsilon,
                        train,
                        dir.path().resolve("allocations.jsonl"))
                : null;
        System.err.printf(
                Locale.ROOT,
                "simulating %d stores, %s:k=%d, %d rounds x %d steps, lr %g, eps %g -> %s%n",
                st.size(),
                zorba ? FedKSeed.ZORBA : FedKSeed.NAME,
                k,
                rounds,
                steps,
                lr,
                epsilon,
                dir.path());
        var outcome = ZoSimulation.run(
                model,
                st,
                new ZoSimulation.Settings(rounds, seed, k, fraction, evaluateEvery, train, parallel),
                dir,
                new ConsoleRunListener(System.out, ""),
                System.err,
                dev.atelier.core.run.Evaluator.NONE,
                z == null ? null : z.planner());
        print(outcome);
        if (z != null) {
            z.print(System.out);
        }
        System.out.println("run written to " + dir.path());
        return 0;
    }

    private static void print(ZoSimulation.Outcome o) {
        System.out.printf(
                Locale.ROOT,
                "model %d parameters (%d bytes F32); upload per store per round, max over rounds: %.0f bytes"
                        + " (goal <= 1024)%n",
                o.parameters(),
                o.modelBytes(),
                ZoSimulation.maxUpload(o.result().rounds()));
        System.out.println("round | train loss | held-out loss | up bytes (max store) | down bytes (mean store)");
        for (RoundRecord r : o.result().rounds()) {
            double held = r.federatedEval()
                    .map(f -> f.metrics().getOrDefault("loss", Double.NaN))
                    .orElse(Double.NaN);
            System.out.printf(
                    Locale.ROOT,
                    "%5d | %10.4f | %13.4f | %20.0f | %23.0f%n",
                    r.round(),
                    r.fit().getOrDefault("loss", Double.NaN),
                    held,
                    r.eval().getOrDefault(ZoSimulation.UP_MAX, Double.NaN),
                    r.eval().getOrDefault(ZoSimulation.DOWN_MEAN, Double.NaN));
        }
    }
}
