package dev.atelier.sketch.local;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.core.privacy.RandomBits;
import dev.atelier.core.util.Progress;
import dev.atelier.ml.data.HoldOut;
import dev.atelier.sketch.fed.LocalHoldOut;
import dev.atelier.sketch.folder.DesignerFolder;
import dev.atelier.sketch.model.ModelDir;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.privacy.CriticDpSgd;
import dev.atelier.sketch.privacy.DpSgdSettings;
import dev.atelier.sketch.train.SketchPairs;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.StepMetrics;
import dev.atelier.sketch.train.TrainerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code atelier sketch train}: one designer's GAN on her own folder, without a coordinator; writes
 * a {@link ModelDir}.
 *
 * <p>Held out: of the matched pairs in name order, every 10th (positions 9, 19, …; the same rule as
 * the nodes' federated evaluation) is never trained on; their names go to {@code held-out.txt} for
 * {@code atelier sketch eval}. Unpaired data has nothing to hold out (no reference per garment).
 *
 * <p>Resumable: {@code model.safetensors} and {@code training.json} are written every
 * {@link LocalTrainSettings#checkpointEvery()} steps; a later call on the same {@code MODEL_DIR}
 * loads them and runs only the missing steps (a larger {@code ganSteps} extends a finished run). As
 * with any loaded checkpoint, Adam's moments restart; the batch order continues from a seed derived
 * from the steps done. The model's canvas is the folder's ({@link
 * dev.atelier.sketch.folder.FolderOptions#canvas()}), stored in the checkpoint's metadata; a resume
 * at another canvas is refused. Not thread-safe (one DJL training per JVM at a time).
 */
public final class LocalTraining {
    private LocalTraining() {}

    /**
     * What a call did.
     *
     * @param resumedFrom steps done before this call (0 for a fresh run)
     * @param last the last step's metrics, or null when no step was left to run
     * @param dpSgd the critic's DP-SGD after the run (epsilon spent over all its steps, SNR); null
     *     without DP-SGD
     */
    public record Result(
            ModelDir dir,
            int trainPairs,
            List<String> heldOut,
            long resumedFrom,
            long stepsDone,
            StepMetrics last,
            TrainingState.DpSgdState dpSgd) {}

    /**
     * Trains (or resumes) on {@code folder} into {@code out}.
     *
     * @param encoder the public feature network (prefix {@code net}) for a fresh model; a resumed one
     *     keeps the encoder saved in its checkpoint
     * @param progress receives one step per training step; sized {@code settings.totalSteps()};
     *     with DP-SGD each GAN step's message carries epsilon so far
     */
    public static Result run(
            DesignerFolder folder, ModelDir out, ParamSet encoder, LocalTrainSettings settings, Progress progress)
            throws IOException {
        SketchPairs all = folder.pairs();
        List<String> names =
                folder.options().unpaired() ? List.of() : folder.pairing().paired();
        // The nodes' rule (LocalHoldOut / HoldOut); the names are in the pairs' order.
        SketchPairs train = LocalHoldOut.split(all).train();
        List<String> held = all.paired() && names.size() >= HoldOut.EVERY ? HoldOut.select(names, true) : List.of();
        TrainingState state = Files.isRegularFile(out.trainingState()) && Files.isRegularFile(out.model())
                ? TrainingState.read(out.trainingState())
                : null;
        if (state == null && Files.exists(out.model())) {
            throw new IllegalArgumentException(out.root() + " holds a model that `atelier sketch train` did not write"
                    + " (no training.json); pass another --out");
        }
        if (state != null) {
            List<String> before = Files.readAllLines(out.heldOut());
            if (!before.equals(held)) {
                throw new IllegalArgumentException(out.root() + " was trained with other held-out pairs (the folder "
                        + "changed since); pass a new --out, or delete " + out.root() + " to start over");
            }
        }
        Files.createDirectories(out.root());
        Files.write(out.heldOut(), held);
        long done = state == null ? 0 : state.stepsDone();
        int warmupLeft = Math.max(0, settings.warmupSteps() - (state == null ? 0 : state.warmupDone()));
        long ganLeft = Math.max(0, settings.ganSteps() - (state == null ? 0 : state.ganDone()));
        long seed = state == null ? settings.seed() : settings.seed() ^ (0x9E3779B97F4A7C15L * (done + 1));
        int canvas = folder.options().canvas();
        SketchGan gan = state == null
                ? SketchGan.create(encoder, SketchGanConfig.defaults().withCanvas(canvas), settings.seed())
                : out.loadModel();
        if (gan.config().canvas() != canvas) {
            int saved = gan.config().canvas();
            gan.close();
            throw new IllegalArgumentException(out.root() + " holds a " + saved + " px model; resume it with --canvas "
                    + saved + " (asked: " + canvas + ")");
        }
        CriticDpSgd dp;
        try {
            dp = criticDp(settings, state, out, train.size());
        } catch (RuntimeException e) {
            gan.close();
            throw e;
        }
        StepMetrics last = null;
        int warmupDone = state == null ? 0 : state.warmupDone();
        long ganDone = state == null ? 0 : state.ganDone();
        progress.step(Math.min(done, settings.totalSteps()), done > 0 ? "resumed" : "");
        try (SketchTrainer t = SketchTrainer.builder()
                .setModel(gan)
                .setData(train)
                .optSettings(TrainerSettings.defaults(seed).withBatchSize(settings.batchSize()))
                .optCriticDp(dp)
                .build()) {
            Checkpoint cp = new Checkpoint(folder, out, settings, train.size(), held.size(), dp);
            while (warmupLeft > 0 || ganLeft > 0) {
                int chunk;
                if (warmupLeft > 0) {
                    chunk = Math.min(warmupLeft, settings.checkpointEvery());
                    last = t.warmup(chunk, m -> progress.step(1, metrics(m)));
                    warmupLeft -= chunk;
                    warmupDone += chunk;
                } else {
                    chunk = (int) Math.min(ganLeft, settings.checkpointEvery());
                    last = t.trainSteps(chunk, m -> progress.step(1, metrics(m) + epsilon(dp)));
                    ganLeft -= chunk;
                    ganDone += chunk;
                }
                t.fitToneCurve(); // every checkpoint is a model she can generate with
                cp.save(t.model(), warmupDone, ganDone);
            }
            if (state == null && last == null) {
                t.fitToneCurve();
                cp.save(t.model(), warmupDone, ganDone);
            }
        }
        return new Result(out, train.size(), List.copyOf(held), done, warmupDone + ganDone, last, dpState(dp));
    }

    /**
     * The critic's DP-SGD: a fresh run plans it from the settings; a resumed one continues the saved
     * plan (same C, z, q), accounting the saved steps first. Mixing a private and a non-private
     * part, or changing C or delta on resume, is refused: epsilon would not cover the whole model.
     */
    private static CriticDpSgd criticDp(LocalTrainSettings settings, TrainingState state, ModelDir out, int pairs) {
        DpSgdSettings asked = settings.dpSgd();
        TrainingState.DpSgdState saved = state == null ? null : state.dpSgd();
        if (state != null && state.ganDone() > 0 && (saved == null) != (asked == null)) {
            throw new IllegalArgumentException(out.root()
                    + (saved == null
                            ? " was trained without DP-SGD: its critic steps so far are not private; pass a new --out"
                            : " was trained with DP-SGD (clip " + saved.clipNorm() + "): resume it with --dp-clip "
                                    + saved.clipNorm() + " and --dp-delta " + saved.delta()));
        }
        if (asked == null) {
            return null;
        }
        if (saved == null) {
            return CriticDpSgd.plan(asked, pairs, settings.batchSize(), RandomBits.secure());
        }
        if (saved.clipNorm() != asked.dp().clipNorm()
                || saved.delta() != asked.dp().delta()) {
            throw new IllegalArgumentException(out.root() + " was trained with DP-SGD clip " + saved.clipNorm()
                    + ", delta " + saved.delta() + "; resume with the same --dp-clip and --dp-delta");
        }
        CriticDpSgd dp = CriticDpSgd.plan(
                new DpSgdSettings(
                        new PrivacyOptions.Dp(saved.clipNorm(), saved.noiseMultiplier(), 0, saved.delta()),
                        asked.plannedSteps()),
                pairs,
                settings.batchSize(),
                RandomBits.secure());
        if (Math.abs(dp.samplingRate() - saved.samplingRate()) > 1e-12) {
            throw new IllegalArgumentException(out.root() + " was trained with DP-SGD at sampling rate "
                    + saved.samplingRate() + " (batch / pairs); resume with the same --batch-size and folder");
        }
        dp.resumeAfter(saved.steps(), saved.meanSnr());
        return dp;
    }

    private static TrainingState.DpSgdState dpState(CriticDpSgd dp) {
        return dp == null
                ? null
                : new TrainingState.DpSgdState(
                        dp.settings().dp().clipNorm(),
                        dp.noiseMultiplier(),
                        dp.samplingRate(),
                        dp.settings().dp().delta(),
                        dp.steps(),
                        dp.steps() == 0 ? 0 : dp.spent().epsilon(),
                        dp.meanSnr());
    }

    private static String epsilon(CriticDpSgd dp) {
        return dp == null
                ? ""
                : String.format(Locale.ROOT, " eps %.2f", dp.spent().epsilon());
    }

    private static String metrics(StepMetrics m) {
        return String.format(Locale.ROOT, "l1 %.3f gram %.2e", m.l1(), m.gram());
    }

    /** Writes model.safetensors, then training.json (so the state never claims steps the model lacks). */
    private record Checkpoint(
            DesignerFolder folder,
            ModelDir out,
            LocalTrainSettings settings,
            int trainPairs,
            int heldOut,
            CriticDpSgd dp) {
        void save(SketchGan gan, int warmupDone, long ganDone) throws IOException {
            Path tmp = out.root().resolve(ModelDir.MODEL + ".tmp");
            Map<String, String> meta = new java.util.LinkedHashMap<>();
            meta.put("designer", folder.dir().toAbsolutePath().getFileName().toString());
            meta.put("steps", Long.toString(warmupDone + ganDone));
            TrainingState.DpSgdState d = dpState(dp);
            if (d != null) {
                // The model carries its own privacy statement (atelier generate / Studio show it).
                meta.put(DpSgdSettings.EPSILON, Double.toString(d.epsilon()));
                meta.put(DpSgdSettings.DELTA, Double.toString(d.delta()));
                meta.put(DpSgdSettings.CLIP_NORM, Double.toString(d.clipNorm()));
                meta.put(DpSgdSettings.NOISE_MULTIPLIER, Double.toString(d.noiseMultiplier()));
                meta.put("dp_sgd_steps", Long.toString(d.steps()));
                meta.put("dp_sgd_snr", Double.toString(d.meanSnr()));
            }
            gan.save(tmp, meta);
            Files.move(tmp, out.model(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            new TrainingState(
                            TrainingState.FORMAT,
                            warmupDone,
                            ganDone,
                            settings.batchSize(),
                            settings.seed(),
                            folder.dir().toAbsolutePath().toString(),
                            trainPairs,
                            heldOut,
                            folder.pairing().unsketchedGarments().size(),
                            dpState(dp))
                    .write(out.trainingState());
        }
    }
}
