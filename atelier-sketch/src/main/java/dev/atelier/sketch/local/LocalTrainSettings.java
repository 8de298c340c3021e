package dev.atelier.sketch.local;

/**
 * Settings of {@code atelier sketch train}: one designer's GAN on her own folder, no federation.
 *
 * @param warmupSteps generator-only steps first (the non-adversarial terms)
 * @param ganSteps GAN steps after the warm-up (critic and generator, the critic stays local)
 * @param batchSize GAN batch size
 * @param seed seeds the model initialisation and the batches
 * @param checkpointEvery save {@code model.safetensors} and {@code training.json} every this many
 *     steps (and at the end), so an interrupted run resumes from there
 */
public record LocalTrainSettings(int warmupSteps, int ganSteps, int batchSize, long seed, int checkpointEvery) {
    /** Defaults: 50 warm-up + 300 GAN steps at batch 16, a checkpoint every 50 steps. */
    public static final LocalTrainSettings DEFAULTS = new LocalTrainSettings(50, 300, 16, 0, 50);

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

    public int totalSteps() {
        return warmupSteps + ganSteps;
    }
}
