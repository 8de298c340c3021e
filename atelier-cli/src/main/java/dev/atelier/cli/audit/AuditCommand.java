package dev.atelier.cli.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.atelier.cli.common.RunIds;
import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.sketch.demo.DemoAudit;
import dev.atelier.sketch.fed.Schedule;
import dev.atelier.sketch.privacy.AuditReport;
import dev.atelier.sketch.privacy.DpSgdSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code atelier audit}: the coordinator's membership-inference attack on the sketch federation,
 * with no protection, secure aggregation and per-sketch DP-SGD (docs/privacy.md).
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = {
            "Leakage audit: can the coordinator tell a designer's training sketches from unseen ones of her style?",
            "Two FedGAI runs (plain and per-sketch DP-SGD) over the demo's designers with few pairs and many",
            "critic steps; AUC with 95%% CI and label-permutation p for: no protection, secure aggregation,",
            "DP-SGD (and both), with epsilon, the DP-SGD signal-to-noise ratio and the sketch quality cost.",
            "Writes audit.json; exits 3 when the unprotected primary attack is not above its permutation null."
        })
public final class AuditCommand implements Callable<Integer> {
    @Option(names = "--out", description = "Output directory (default: runs/audit-<timestamp>).")
    Path out;

    @Option(names = "--seed", defaultValue = "7", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @picocli.CommandLine.Mixin
    dev.atelier.cli.sketch.DemoInputOptions inputs = new dev.atelier.cli.sketch.DemoInputOptions();

    @Option(
            names = "--designer-count",
            defaultValue = "4",
            description = "How many of the profiles to audit (default: ${DEFAULT-VALUE}).")
    int designerCount;

    @Option(
            names = "--members",
            defaultValue = "60",
            description = "Training pairs per designer; as many are held out (default: ${DEFAULT-VALUE}).")
    int members;

    @Option(
            names = "--epsilon",
            defaultValue = "8",
            description = "Per-sketch epsilon of the DP-SGD run (default: ${DEFAULT-VALUE}).")
    double epsilon;

    @Option(
            names = "--clip-norm",
            defaultValue = "1.0",
            description = "DP-SGD clip norm of one pair's critic gradient (default: ${DEFAULT-VALUE}).")
    double clipNorm;

    @Option(names = "--delta", defaultValue = "1e-5", description = "DP delta (default: ${DEFAULT-VALUE}).")
    double delta;

    @Option(names = "--rounds", defaultValue = "8", description = "Rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--local-steps",
            defaultValue = "25",
            description = "Local GAN steps per round (default: ${DEFAULT-VALUE}).")
    int localSteps;

    @Option(
            names = "--warmup",
            defaultValue = "10",
            description = "Generator warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--critic-lr",
            defaultValue = "2e-3",
            description = "The critic's Adam learning rate (default: ${DEFAULT-VALUE}).")
    float criticLr;

    @Option(
            names = "--unpaired",
            description = "Audit unpaired designers (a sketch folder and a separate garment folder) instead of the"
                    + " demo's paired ones.")
    boolean unpaired;

    @Option(
            names = "--no-spectral-norm",
            description = "Train both runs' critics without spectral normalisation (a critic that can memorise more:"
                    + " the leaky control configuration, docs/privacy.md).")
    boolean noSpectralNorm;

    @Option(
            names = "--critic-channels",
            split = ",",
            description = "Channels of the critic's stages in both runs, e.g. 64,128,256 (default: the demo's"
                    + " 16,32,64). A wider critic has more capacity to memorise: with --no-spectral-norm the"
                    + " leaky control configuration (docs/privacy.md).")
    int[] criticChannels;

    @Option(
            names = "--canaries",
            defaultValue = "0",
            description = "Canary sketches per designer (synthetic textures, each in her training set by a seeded"
                    + " fair coin): the positive control and the one-run epsilon lower bound; 0 = none (default:"
                    + " ${DEFAULT-VALUE}).")
    int canaries;

    @Option(
            names = "--canary-kind",
            defaultValue = "TEXTURE",
            description = "TEXTURE (synthetic textures), OVERLAY (extra sketches of her style with a texture drawn"
                    + " over each), both as training pairs, or CRITIC_TEXTURE (synthetic textures only her critic"
                    + " trains on, as extra real sketches) (default: ${DEFAULT-VALUE}).")
    dev.atelier.sketch.privacy.Canaries.Kind canaryKind;

    @Option(
            names = "--noise-multiplier",
            defaultValue = "0",
            description = "DP-SGD noise multiplier z of the DP-SGD run instead of one picked for --epsilon (0 ="
                    + " pick it; a tiny z such as 1e-3 makes that run per-example clipping without meaningful"
                    + " noise, a diagnostic, not privacy) (default: ${DEFAULT-VALUE}).")
    double noiseMultiplier;

    @Option(
            names = "--gradient-canaries",
            defaultValue = "16",
            description = "Gradient canaries per designer: records whose critic gradient is a fixed random direction"
                    + " of the clip norm, each in by a fair coin; the worst-case record, and then the positive"
                    + " control (update projection); 0 = none, then the control is judged on --canaries or the sketches"
                    + " (default: ${DEFAULT-VALUE}).")
    int gradientCanaries;

    @Option(
            names = "--memorisation-steps",
            defaultValue = "0",
            description = "Instead of the audit: train the first designer alone for this many critic steps and"
                    + " print her own critic's and the primary attack's AUC every --memorisation-every steps"
                    + " (writes memorisation.json).")
    int memorisationSteps;

    @Option(
            names = "--memorisation-every",
            defaultValue = "100",
            description = "Steps between points of --memorisation-steps (default: ${DEFAULT-VALUE}).")
    int memorisationEvery;

    private dev.atelier.sketch.model.SketchGanConfig criticModel() {
        var model = dev.atelier.sketch.model.SketchGanConfig.defaults().withSpectralNorm(!noSpectralNorm);
        return criticChannels == null ? model : model.withDiscChannels(criticChannels);
    }

    @Override
    public Integer call() throws Exception {
        dev.atelier.cli.sketch.SingleJvmTorchThreads.applyDefault();
        Path dir = out != null ? out : Path.of("runs", RunIds.next("audit"));
        if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
            throw new IllegalArgumentException(
                    "--noise-multiplier must be finite and >= 0 (0 = pick it for --epsilon), got " + noiseMultiplier);
        }
        Schedule schedule = new Schedule(warmup, rounds, localSteps);
        DemoAudit audit = DemoAudit.defaults(epsilon)
                .withDesigners(designerCount)
                .withMembers(members)
                .withSchedule(schedule)
                .withCriticLr(criticLr)
                .withPaired(!unpaired)
                .withCanaries(canaries)
                .withCanaryKind(canaryKind)
                .withGradientCanaries(gradientCanaries)
                .withModel(criticModel())
                .withDp(
                        noiseMultiplier > 0
                                ? new DpSgdSettings(
                                        new PrivacyOptions.Dp(clipNorm, noiseMultiplier, 0, delta),
                                        (long) rounds * localSteps)
                                : DpSgdSettings.forTarget(clipNorm, epsilon, delta, (long) rounds * localSteps));
        if (memorisationSteps < 0
                || (memorisationSteps > 0 && (memorisationEvery < 1 || memorisationEvery > memorisationSteps))) {
            throw new IllegalArgumentException("--memorisation-every must be in [1, --memorisation-steps], got "
                    + memorisationEvery + " and " + memorisationSteps);
        }
        Files.createDirectories(dir);
        System.err.println("atelier audit -> " + dir);
        if (memorisationSteps > 0) {
            var points = audit.memorisationStandalone(
                    inputs.inputs(), seed, memorisationSteps, memorisationEvery, System.err);
            Path json = dir.resolve("memorisation.json");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), points);
            System.out.println("wrote " + json);
            return 0;
        }
        AuditReport report = audit.runStandalone(inputs.inputs(), seed, System.err);
        Path json = dir.resolve("audit.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report.toMap());
        System.out.print(report.table());
        System.out.println("wrote " + json);
        return report.controlPassed() ? 0 : 3;
    }
}
