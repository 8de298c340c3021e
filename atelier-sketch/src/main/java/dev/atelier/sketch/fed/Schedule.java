package dev.atelier.sketch.fed;

/**
 * Training schedule of every designer: {@code warmupSteps} generator-only steps, then
 * {@code rounds} rounds of {@code localSteps} GAN steps (FedGAI: 11 × 11).
 */
public record Schedule(int warmupSteps, int rounds, int localSteps) {
    public Schedule {
        if (warmupSteps < 0 || rounds < 1 || localSteps < 1) {
            throw new IllegalArgumentException("schedule needs warm-up >= 0, rounds >= 1 and local steps >= 1, got "
                    + warmupSteps + "/" + rounds + "/" + localSteps);
        }
    }

    /** {@value SketchKeys#DEFAULT_WARMUP_STEPS} warm-up steps, 11 rounds × 11 local steps. */
    public static Schedule defaults() {
        return new Schedule(SketchKeys.DEFAULT_WARMUP_STEPS, SketchKeys.DEFAULT_ROUNDS, SketchKeys.DEFAULT_LOCAL_STEPS);
    }

    /** Steps one designer takes in total. */
    public int stepsPerDesigner() {
        return warmupSteps + rounds * localSteps;
    }
}
