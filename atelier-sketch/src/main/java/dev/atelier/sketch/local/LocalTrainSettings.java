package dev.atelier.sketch.local;

import dev.atelier.sketch.privacy.DpSgdSettings;

/**
 * Settings of {@code atelier sketch train}: one designer's GAN on her own folder, no federation.
 *
 * @param warmupSteps generator-only steps first (the non-adversarial terms)
 * @param ganSteps GAN steps after the warm-up (critic and generator, the critic stays local)
 * @param batchSize GAN batch size
 * @param seed seeds the model initialisation and the batches
 * @param checkpointEvery save {@code model.safetensors} and {@code training.json} every this many
 *     steps (and at the end), so an interrupted run resumes from there
 * @param dpSgd per-sketch DP-SGD of the critic ({@link dev.atelier.sketch.privacy.CriticDpSgd});
 *     its planned steps are the run's {@code ganSteps} (the warm-up does not touch the critic);
 *     null = off
 */
public record LocalTrainSettings(
        int warmupSteps, int ganSteps, int batchSize, long seed, int checkpointEvery, DpSgdSettings dpSgd) {
    /** Defaults: 50 warm-up + 300 GAN steps at batch 16, a checkpoint every 50 steps. */
    public static final LocalTrainSettings DEFAULTS = new LocalTrainSettings(50, 300, 16, 0, 50);

    /** Without DP-SGD. */
    public LocalTrainSettings(int warmupSteps, int ganSteps, int batchSize, long seed, int checkpointEvery) {
        this(warmupSteps, ganSteps, batchSize, seed, checkpointEvery, null);
    }

    public LocalTrainSettings {
        if (warmupSteps < 0 || ganSteps < 0 || warmupSteps + ganSteps == 0) {
            throw new IllegalArgumentException(
                    "need warm-up and GAN steps >= 0 and at least one step, got " + warmupSteps + " and " + ganSteps);
        }
        if (batchSize < 1 || batchSize > 256) {
            throw new IllegalArgumentException("batch size must be in 1..256, got " + batchSize);
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpoint interval must be >= 1, got " + checkpointEvery);
        }
    }

    /** The same run with per-sketch DP-SGD planned for its GAN steps; null turns it off. */
    public LocalTrainSettings withDpSgd(DpSgdSettings dp) {
        if (dp != null && ganSteps < 1) {
            throw new IllegalArgumentException("DP-SGD protects the critic: it needs GAN steps >= 1 (--steps)");
        }
        return new LocalTrainSettings(
                warmupSteps,
                ganSteps,
                batchSize,
                seed,
                checkpointEvery,
                dp == null ? null : new DpSgdSettings(dp.dp(), ganSteps));
    }

    public int totalSteps() {
        return warmupSteps + ganSteps;
    }
}
