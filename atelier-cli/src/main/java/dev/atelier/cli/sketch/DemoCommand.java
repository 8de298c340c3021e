package dev.atelier.cli.sketch;

import dev.atelier.cli.common.RunIds;
import dev.atelier.core.util.FileTrees;
import dev.atelier.sketch.demo.DemoAudit;
import dev.atelier.sketch.demo.DemoLayout;
import dev.atelier.sketch.demo.DemoPreset;
import dev.atelier.sketch.demo.DemoSettings;
import dev.atelier.sketch.demo.Designers;
import dev.atelier.sketch.demo.SketchDemo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code atelier demo}: FedGAI sketch-style learning end to end. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        resourceBundle = "dev.atelier.cli.sketch.DemoHelp",
        description = {
            "FedGAI end to end: designers train image->sketch GANs and federate only their style critic.",
            "Runs local-only, federated and centralized-D regimes, distills an edge student, scores everything",
            "on held-out garments and writes report.html / report.json."
        })
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", description = "Output directory (default: runs/demo-<timestamp>).")
    Path out;

    @Option(
            names = "--quick",
            description = "Smoke run: the quick preset's tiny schedule and evaluation (CI); defaults below"
                    + " give the standard preset's value, then the quick one.")
    boolean quick;

    @Option(names = "--seed", defaultValue = "7", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @picocli.CommandLine.Mixin
    DemoInputOptions inputs = new DemoInputOptions();

    @Option(names = "--rounds", description = "Federated rounds (default ${bundle:preset.rounds}).")
    Integer rounds;

    @Option(names = "--local-steps", description = "Local GAN steps per round (default ${bundle:preset.local-steps}).")
    Integer localSteps;

    @Option(
            names = "--warmup",
            description = "Generator warm-up steps before round 1 (default ${bundle:preset.warmup}).")
    Integer warmup;

    @Option(names = "--mu", description = "FedProx mu for the critic; 0 = FedAvg (default ${bundle:preset.mu}).")
    Double mu;

    @Option(
            names = "--blend",
            description = "Style blend a: a*own + (1-a)*federation style card for federated sketches"
                    + " (default ${bundle:preset.blend}).")
    Double blend;

    @Option(
            names = "--distill-steps",
            description = "Student distillation steps per designer (default ${bundle:preset.distill-steps}).")
    Integer distillSteps;

    @Option(
            names = "--adversarial-weight",
            description = "Weight of the generator's adversarial (critic) loss"
                    + " (default ${bundle:preset.adversarial-weight}).")
    Float adversarialWeight;

    @Option(
            names = "--critic-mix",
            description = "Personalisation: each designer starts a round from mix*global + (1-mix)*own critic;"
                    + " 1 = FedGAI (default ${bundle:preset.critic-mix}).")
    Double criticMix;

    @Option(
            names = "--batch-size",
            description = "GAN batch size of the designers' local steps (default ${bundle:preset.batch-size};"
                    + " 16 is better and slower, see docs/demo.md).")
    Integer batchSize;

    @Option(
            names = "--force",
            description =
                    "Replace an earlier demo's output in --out (its report, sketches, models and federation run).")
    boolean force;

    @Option(
            names = "--privacy",
            paramLabel = "MODE",
            defaultValue = "none",
            description = "none (default) or secagg+dp: after the regimes, (1) train the federated regime once more"
                    + " with the critic under SecAgg+ (scripted dropouts), per-sketch DP-SGD at --epsilon and"
                    + " secure style cards, reported next to FedGAI with its time, bytes and quality cost; (2) run"
                    + " the leakage audit (membership inference by the coordinator: no protection, secure"
                    + " aggregation, per-sketch DP-SGD; two more federations of 4 designers x 60 pairs, 8 x 25"
                    + " steps; with --quick 2 x 20, 2 x 10). Needs >= 3 designers (4 for the audit). Opt-in: slower.")
    String privacy;

    @Option(
            names = "--epsilon",
            paramLabel = "EPS",
            description = "Per-sketch epsilon of --privacy's DP-SGD (the private regime and the audit; default 8).")
    Double epsilon;

    /** The audit of {@code --privacy}, or null; every misuse of the privacy options is a one-line error. */
    DemoAudit audit(int profiles) {
        if (!privacy.equals("none") && !privacy.equals("secagg+dp")) {
            throw new IllegalArgumentException("--privacy must be none or secagg+dp, got '" + privacy + "'");
        }
        if (privacy.equals("none")) {
            if (epsilon != null) {
                throw new IllegalArgumentException("--epsilon needs --privacy secagg+dp");
            }
            return null;
        }
        double eps = epsilon == null ? 8 : epsilon;
        if (!(eps > 0 && eps < 1000)) {
            throw new IllegalArgumentException("--epsilon must be in (0, 1000), got " + eps);
        }
        DemoAudit audit = quick ? DemoAudit.quick(eps) : DemoAudit.defaults(eps);
        int needed = Math.max(3, audit.designers());
        if (profiles < needed) {
            throw new IllegalArgumentException("--privacy needs at least " + needed + " designers (SecAgg+ of the"
                    + " critic and style cards: 3; the audit: " + audit.designers() + "), --designers has " + profiles);
        }
        return audit;
    }

    @Override
    public Integer call() throws Exception {
        SingleJvmTorchThreads.applyDefault();
        Path dir = out != null ? out : Path.of("runs", RunIds.next("demo"));
        DemoSettings s = DemoSettings.builder(
                        quick ? DemoPreset.QUICK : DemoPreset.STANDARD, dir, seed, inputs.inputs())
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
        DemoAudit audit =
                audit(Designers.profiles(inputs.inputs().designersFile()).size());
        // Settings are validated first, so a bad option never costs an earlier run its output.
        DemoLayout layout = s.layout();
        prepareOutput(layout);
        System.err.println("atelier demo -> " + dir + (quick ? " (quick)" : ""));
        new SketchDemo(s, System.err)
                .optPrivacyAudit(audit)
                .optPrivateRegime(audit == null ? null : audit.dp().dp().targetEpsilon())
                .run();
        System.out.println("open " + layout.reportHtml());
        return 0;
    }

    /**
     * Refuses to mix a new run into an earlier one (the federation's metrics.jsonl would be
     * appended to, the models overwritten one by one): a non-empty --out needs --force, which
     * deletes only the demo's own outputs there.
     */
    private void prepareOutput(DemoLayout layout) throws IOException {
        Path dir = layout.root();
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
        for (Path output : layout.outputs()) {
            FileTrees.delete(output);
        }
    }
}
