package dev.atelier.cli.sketch;

import dev.atelier.cli.common.RunIds;
import dev.atelier.core.util.FileTrees;
import dev.atelier.ml.features.PublicFeatureNetwork;
import dev.atelier.sketch.demo.DemoSettings;
import dev.atelier.sketch.demo.SketchDemo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code atelier demo}: FedGAI sketch-style learning end to end. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "FedGAI end to end: designers train image->sketch GANs and federate only their style critic.",
            "Runs local-only, federated and centralized-D regimes, distills an edge student, scores everything",
            "on held-out garments and writes report.html / report.json."
        })
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", description = "Output directory (default: runs/demo-<timestamp>).")
    Path out;

    @Option(names = "--quick", description = "Smoke run: tiny schedule and evaluation (CI).")
    boolean quick;

    @Option(names = "--seed", defaultValue = "7", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder with the four Fashion-MNIST .gz files.")
    Path data;

    @Option(
            names = "--designers",
            paramLabel = "FILE",
            description = "Designer profiles JSON (default: the built-in eight; see docs/styles.md).")
    Path designers;

    @Option(names = "--rounds", description = "Federated rounds (default 11, quick 2).")
    Integer rounds;

    @Option(names = "--local-steps", description = "Local GAN steps per round (default 11, quick 3).")
    Integer localSteps;

    @Option(names = "--warmup", description = "Generator warm-up steps before round 1 (default 30, quick 4).")
    Integer warmup;

    @Option(
            names = "--mu",
            defaultValue = "0",
            description = "FedProx mu for the critic; 0 = FedAvg (default: ${DEFAULT-VALUE}).")
    double mu;

    @Option(
            names = "--blend",
            defaultValue = "1",
            description =
                    "Style blend a: a*own + (1-a)*federation style card for federated sketches (default: ${DEFAULT-VALUE}).")
    double blend;

    @Option(names = "--distill-steps", description = "Student distillation steps per designer (default 60, quick 6).")
    Integer distillSteps;

    @Option(
            names = "--adversarial-weight",
            description = "Weight of the generator's adversarial (critic) loss (default 0.1).")
    Float adversarialWeight;

    @Option(
            names = "--critic-mix",
            defaultValue = "1",
            description =
                    "Personalisation: each designer starts a round from mix*global + (1-mix)*own critic; 1 = FedGAI (default: ${DEFAULT-VALUE}).")
    double criticMix;

    @Option(
            names = "--batch-size",
            description =
                    "GAN batch size of the designers' local steps (default 8; 16 is better and slower, see docs/demo.md).")
    Integer batchSize;

    @Option(
            names = "--force",
            description =
                    "Replace an earlier demo's output in --out (its report, sketches, models and federation run).")
    boolean force;

    @Option(
            names = "--cache-dir",
            description = "Cache for the public feature network and evaluator (default: ~/.atelier/cache).")
    Path cacheDir;

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out : Path.of("runs", RunIds.next("demo"));
        prepareOutput(dir);
        Path cache = cacheDir != null ? cacheDir : PublicFeatureNetwork.defaultCacheDir();
        DemoSettings s = (quick
                        ? DemoSettings.quick(dir, seed, data, designers, cache)
                        : DemoSettings.standard(dir, seed, data, designers, cache))
                .optRounds(rounds)
                .optLocalSteps(localSteps)
                .optWarmupSteps(warmup)
                .optDistillSteps(distillSteps)
                .optBatchSize(batchSize)
                .optProximalMu(mu)
                .optBlend(blend)
                .optAdversarialWeight(adversarialWeight)
                .optCriticMix(criticMix)
                .build();
        System.err.println("atelier demo -> " + dir + (quick ? " (quick)" : ""));
        new SketchDemo(s, System.err).run();
        System.out.println("open " + dir.resolve("report.html"));
        return 0;
    }

    /** What a demo writes into its output folder; only these are replaced by {@code --force}. */
    private static final List<String> OUTPUTS =
            List.of("report.html", "report.json", "sketches", "models", "federation");

    /**
     * Refuses to mix a new run into an earlier one (the federation's metrics.jsonl would be
     * appended to, the models overwritten one by one): a non-empty --out needs --force, which
     * deletes only the demo's own outputs there.
     */
    private void prepareOutput(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        boolean empty;
        try (Stream<Path> entries = Files.list(dir)) {
            empty = entries.findAny().isEmpty();
        }
        if (empty) {
            return;
        }
        if (!force) {
            throw new IllegalArgumentException(
                    dir + " is not empty (an earlier demo?); choose another --out or pass --force to replace it");
        }
        for (String name : OUTPUTS) {
            FileTrees.delete(dir.resolve(name));
        }
    }
}
