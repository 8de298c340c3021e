package dev.atelier.sketch.student;

import java.util.Objects;

/**
 * Settings of a distillation run.
 *
 * @param batchSize garments per step ({@code >= 2}: the student's BatchNorm needs two examples)
 * @param lr        Adam learning rate of the student decoder and the feature projections
 * @param beta1     Adam β1
 * @param beta2     Adam β2
 * @param weights   loss weights
 * @param seed      seeds batch sampling (pure Java {@link java.util.SplittableRandom})
 */
public record DistillSettings(int batchSize, float lr, float beta1, float beta2, DistillWeights weights, long seed) {
    public DistillSettings {
        if (batchSize < 2) {
            throw new IllegalArgumentException("distillation batch size must be >= 2, got " + batchSize);
        }
        if (!(lr > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("invalid optimizer settings: lr=" + lr + " beta1=" + beta1 + " beta2=" + beta2);
        }
        Objects.requireNonNull(weights, "weights");
    }

    /** Batch 16, lr 1e-2, β = (0.5, 0.999), default weights (see {@code docs/student.md} for the measured choice). */
    public static DistillSettings defaults(long seed) {
        return new DistillSettings(16, 1e-2f, 0.5f, 0.999f, DistillWeights.defaults(), seed);
    }

    public DistillSettings withBatchSize(int v) {
        return new DistillSettings(v, lr, beta1, beta2, weights, seed);
    }

    public DistillSettings withLearningRate(float v) {
        return new DistillSettings(batchSize, v, beta1, beta2, weights, seed);
    }

    public DistillSettings withBetas(float b1, float b2) {
        return new DistillSettings(batchSize, lr, b1, b2, weights, seed);
    }

    public DistillSettings withWeights(DistillWeights v) {
        return new DistillSettings(batchSize, lr, beta1, beta2, v, seed);
    }

    public DistillSettings withSeed(long v) {
        return new DistillSettings(batchSize, lr, beta1, beta2, weights, v);
    }
}
