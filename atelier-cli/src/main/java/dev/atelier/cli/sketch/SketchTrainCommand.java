package dev.atelier.cli.sketch;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.util.Progress;
import dev.atelier.sketch.folder.DesignerFolder;
import dev.atelier.sketch.local.LocalTrainSettings;
import dev.atelier.sketch.local.LocalTraining;
import dev.atelier.sketch.local.PublicEncoder;
import dev.atelier.sketch.local.TrainingState;
import dev.atelier.sketch.model.ModelDir;
import dev.atelier.sketch.privacy.DpSgdSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier sketch train --data DIR --out MODEL_DIR}: one designer's sketch model on her folder
 * alone, no coordinator, no certificates; progress with steps and ETA; resumable from MODEL_DIR.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a sketch model on a designer's folder alone (no coordinator); resumable.")
public final class SketchTrainCommand implements Callable<Integer> {
    @Mixin
    FolderArgs folder;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "MODEL_DIR",
            description = "Model directory to write (or to resume from): model.safetensors, training.json,"
                    + " held-out.txt; `atelier generate --model` reads it.")
    Path out;

    @Option(
            names = "--warmup",
            defaultValue = "50",
            description = "Generator-only warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--steps",
            defaultValue = "300",
            description = "GAN steps after the warm-up (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch-size", defaultValue = "16", description = "GAN batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--checkpoint-every",
            defaultValue = "50",
            description = "Save the model every this many steps (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(
            names = "--encoder",
            paramLabel = "FILE",
            description = "Encoder weights (safetensors): a public feature network (prefix net) or"
                    + " torchvision's VGG-16 state dict (features.N.weight/bias; the paper's encoder, its"
                    + " first four blocks); default: a feature network trained once on Fashion-MNIST's"
                    + " public split and cached in ~/.atelier/cache.")
    Path encoder;

    @Option(
            names = "--canvas",
            defaultValue = "32",
            paramLabel = "N",
            description = "Side of the square canvas the model reads and draws, in px: 32 (Fashion-MNIST"
                    + " size), 64, 128 or 256 for photos and scans; stored in the model (default: ${DEFAULT-VALUE}).")
    int canvas;

    @Option(
            names = "--fashion-mnist",
            paramLabel = "DIR",
            description = "Fashion-MNIST folder for training the default encoder (default: the usual places).")
    String fashionMnist;

    @Option(
            names = {"--target-epsilon", "--dp-sgd-epsilon"},
            paramLabel = "EPS",
            description = "Per-sketch DP-SGD of the critic (the part a federation shares): pick the noise so"
                    + " that --steps critic steps spend at most this epsilon (one sketch pair is the unit;"
                    + " docs/privacy.md). Off by default.")
    Double targetEpsilon;

    @Option(
            names = {"--dp-noise", "--dp-sgd-noise-multiplier"},
            paramLabel = "Z",
            description = "Per-sketch DP-SGD with this noise multiplier (noise std = Z x clip) instead of"
                    + " --target-epsilon.")
    Double dpNoise;

    @Option(
            names = {"--dp-clip", "--dp-sgd-clip-norm"},
            paramLabel = "C",
            description = "DP-SGD: L2 clip norm of one pair's critic gradient (default 1.0; needs"
                    + " --target-epsilon or --dp-noise).")
    Double dpClip;

    @Option(
            names = {"--dp-delta", "--dp-sgd-delta"},
            paramLabel = "DELTA",
            description = "DP-SGD delta of the reported epsilon (default 1e-5; needs --target-epsilon or --dp-noise).")
    Double dpDelta;

    /** The DP-SGD options as settings; null when off. Every misuse is a one-line error. */
    DpSgdSettings dpSgd() {
        if (targetEpsilon == null && dpNoise == null) {
            if (dpClip != null || dpDelta != null) {
                throw new IllegalArgumentException(
                        (dpClip != null ? "--dp-clip" : "--dp-delta") + " needs --target-epsilon or --dp-noise");
            }
            return null;
        }
        if (targetEpsilon != null && dpNoise != null) {
            throw new IllegalArgumentException("give --target-epsilon or --dp-noise, not both");
        }
        if (targetEpsilon != null && !(targetEpsilon > 0 && targetEpsilon < 1000)) {
            throw new IllegalArgumentException("--target-epsilon must be in (0, 1000), got " + targetEpsilon);
        }
        if (dpNoise != null && !(dpNoise > 0 && dpNoise < 1000)) {
            throw new IllegalArgumentException("--dp-noise must be in (0, 1000), got " + dpNoise);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("DP-SGD protects the critic's GAN steps: it needs --steps >= 1");
        }
        double clip = dpClip == null ? 1.0 : dpClip;
        double delta = dpDelta == null ? DpSgdSettings.DEFAULT_DELTA : dpDelta;
        try {
            return new DpSgdSettings(
                    new dev.atelier.core.privacy.PrivacyOptions.Dp(
                            clip, dpNoise == null ? 0 : dpNoise, targetEpsilon == null ? 0 : targetEpsilon, delta),
                    steps);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DP-SGD: " + e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws Exception {
        LocalTrainSettings settings =
                new LocalTrainSettings(warmup, steps, batchSize, seed, checkpointEvery).withDpSgd(dpSgd());
        // errors stop here with every file named; warnings are logged when the pairs are taken
        DesignerFolder f = DesignerFolder.read(folder.data, folder.options().withCanvas(canvas));
        f.pairs();
        ModelDir dir = new ModelDir(out);
        boolean resume = Files.isRegularFile(dir.trainingState());
        if (resume) {
            TrainingState s = TrainingState.read(dir.trainingState());
            System.err.println("resuming " + out + " after " + s.stepsDone() + " steps");
        }
        ParamSet enc = resume ? ParamSet.empty() : PublicEncoder.resolve(encoder, fashionMnist);
        Progress progress = Progress.start("sketch train " + folder.data.getFileName(), settings.totalSteps());
        LocalTraining.Result r = LocalTraining.run(f, dir, enc, settings, progress);
        progress.finish(
                r.last() == null
                        ? "nothing left to do"
                        : String.format(Locale.ROOT, "l1 %.3f", r.last().l1()));
        System.out.println("model directory " + out + ": " + r.stepsDone() + " steps on " + r.trainPairs() + " pairs, "
                + (f.pairing().unsketched() ? f.pairing().unsketchedGarments().size() + " unsketched garments, " : "")
                + r.heldOut().size() + " held out (held-out.txt)");
        if (r.dpSgd() != null) {
            var d = r.dpSgd();
            System.out.printf(
                    Locale.ROOT,
                    "per-sketch DP-SGD of the critic: epsilon %.2f at delta %.0e after %d critic steps (noise"
                            + " multiplier %.3f, clip %.2f, sampling rate %.3f); signal-to-noise ratio %.3f"
                            + " (saved in the model's metadata and training.json)%n",
                    d.epsilon(),
                    d.delta(),
                    d.steps(),
                    d.noiseMultiplier(),
                    d.clipNorm(),
                    d.samplingRate(),
                    d.meanSnr());
        }
        System.out.println("next: atelier generate --model " + out + " --input GARMENT(S) --out SKETCH(ES)");
        return 0;
    }
}
