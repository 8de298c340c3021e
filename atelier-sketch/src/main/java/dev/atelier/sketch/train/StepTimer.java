package dev.atelier.sketch.train;

/**
 * Measures the wall time of local steps on this machine (for {@code docs/sketch-model.md} and the
 * demo's report). It trains the trainer it is given, so use a throwaway one.
 */
public final class StepTimer {
    private StepTimer() {}

    /**
     * @param batchSize    the trainer's batch size
     * @param warmupStepMs mean wall time of one generator-only warm-up step
     * @param ganStepMs    mean wall time of one GAN step (critic update + generator update)
     * @param steps        timed steps of each kind
     */
    public record Timing(int batchSize, double warmupStepMs, double ganStepMs, int steps) {
        /** Wall time of a schedule of {@code warmup} warm-up and {@code gan} GAN steps, in seconds. */
        public double scheduleSeconds(int warmup, int gan) {
            return (warmup * warmupStepMs + gan * ganStepMs) / 1000;
        }
    }

    /** Times {@code steps} warm-up and {@code steps} GAN steps after 3 untimed ones of each (caches, allocator). */
    public static Timing measure(SketchTrainer trainer, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        trainer.warmup(3, null);
        long t0 = System.nanoTime();
        trainer.warmup(steps, null);
        double warm = (System.nanoTime() - t0) / 1e6 / steps;
        trainer.trainSteps(3, null);
        t0 = System.nanoTime();
        trainer.trainSteps(steps, null);
        double gan = (System.nanoTime() - t0) / 1e6 / steps;
        return new Timing(trainer.settings().batchSize(), warm, gan, steps);
    }
}
