package dev.atelier.zo.firstorder;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Backprop + Adam on a {@link DjlGpt2}: the one first-order loop, used to pretrain the base LM and
 * by the first-order baseline client ({@link FirstOrderClient}). Each step draws
 * {@code batchSize} examples uniformly with replacement (seeded), pads them to the longest,
 * and minimises the mean cross entropy of the tokens each example trains
 * ({@link Example#trainFrom}); the learning rate warms up linearly, then follows a cosine
 * from {@code lr} to {@code finalLr} ({@link #learningRate}). The gradient is clipped to global L2 norm {@link #MAX_GRAD_NORM} (Hugging Face
 * Trainer's {@code max_grad_norm} default; DJL's optimizers only clip element-wise): one bad
 * batch cannot throw a small LM's LayerNorms off, which made a 1e-2 run diverge on one machine and
 * not another. A non-finite loss or gradient stops training before the weights are touched. Each
 * step runs in its own sub-manager (freed at its end); one {@link GradientCollector} at a time per
 * JVM, as DJL requires. Not thread-safe.
 */
public final class AdamTrainer {
    /** Global gradient-norm clip applied before every Adam update. */
    public static final double MAX_GRAD_NORM = 1.0;

    /**
     * Adam with DJL's defaults (β1 0.9, β2 0.999, ε 1e-8), no weight decay; the learning rate
     * rises linearly over the first {@code warmup} steps to {@code lr}, then follows a cosine to
     * {@code finalLr} at the last step ({@link #learningRate}).
     */
    public record Settings(int steps, int batchSize, float lr, float finalLr, int warmup, long seed) {
        public Settings {
            if (steps < 1 || batchSize < 1 || !(lr > 0) || !(finalLr >= 0) || warmup < 0 || warmup >= steps) {
                throw new IllegalArgumentException(
                        "Adam settings need steps ≥ 1, batch ≥ 1, lr > 0, final lr ≥ 0, 0 ≤ warm-up < steps: " + steps
                                + ", " + batchSize + ", " + lr + ", " + finalLr + ", " + warmup);
            }
        }

        /** No warm-up. */
        public Settings(int steps, int batchSize, float lr, float finalLr, long seed) {
            this(steps, batchSize, lr, finalLr, 0, seed);
        }
    }

    /**
     * The learning rate of update {@code n} (0-based): {@code lr·(n+1)/warmup} during the warm-up,
     * then a cosine from {@code lr} to {@code finalLr} over the remaining steps.
     */
    public static float learningRate(Settings s, int n) {
        if (n < s.warmup()) {
            return s.lr() * (n + 1) / s.warmup();
        }
        int span = Math.max(1, s.steps() - 1 - s.warmup());
        double t = Math.min(1.0, (double) (n - s.warmup()) / span);
        return (float) (s.finalLr() + (s.lr() - s.finalLr()) * 0.5 * (1 + Math.cos(Math.PI * t)));
    }

    /**
     * A token row; the targets at positions ≥ {@code trainFrom} (≥ 1: position 0 has no
     * predecessor) are trained: 1 for pretraining, the first completion token for a task row.
     */
    public record Example(int[] ids, int trainFrom) {
        public Example {
            if (trainFrom < 1 || trainFrom >= ids.length) {
                throw new IllegalArgumentException(
                        "trainFrom " + trainFrom + " must lie in [1, " + ids.length + ") for a row of " + ids.length);
            }
        }
    }

    /** Called after every step. */
    public interface Progress {
        void step(int done, int total, double loss, double seconds);
    }

    private AdamTrainer() {}

    /** Trains {@code model} in place; returns the mean loss of the last ≤ 50 steps. */
    public static double train(DjlGpt2 model, NDManager manager, List<Example> data, Settings s, Progress progress) {
        return train(model, manager, data, s, progress, null);
    }

    /**
     * As above; with {@code labelTokens} the loss is {@link DjlGpt2#labelLoss} over those tokens
     * (every trained target must be one), null: the full-vocabulary cross entropy.
     */
    public static double train(
            DjlGpt2 model, NDManager manager, List<Example> data, Settings s, Progress progress, int[] labelTokens) {
        if (data.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        // DJL's Adam counts updates per parameter from 1
        Tracker schedule = n -> learningRate(s, Math.max(0, n - 1));
        Optimizer adam = Optimizer.adam().optLearningRateTracker(schedule).build();
        SplittableRandom rng = new SplittableRandom(s.seed());
        long start = System.nanoTime();
        double tail = 0;
        int tailN = 0;
        for (int step = 0; step < s.steps(); step++) {
            Example[] batch = new Example[s.batchSize()];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = data.get(rng.nextInt(data.size()));
            }
            double loss;
            try (NDManager sm = manager.newSubManager()) {
                NDArray[] io = pad(sm, batch);
                zero(model);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray l =
                            labelTokens == null ? model.loss(io[0], io[1]) : model.labelLoss(io[0], io[1], labelTokens);
                    loss = l.getFloat();
                    if (!Double.isFinite(loss)) {
                        throw new IllegalStateException("Adam step " + (step + 1) + ": loss is " + loss
                                + " (weights left as after step " + step + "; lower the learning rate)");
                    }
                    gc.backward(l);
                }
                double norm = gradientNorm(model);
                if (!Double.isFinite(norm)) {
                    throw new IllegalStateException("Adam step " + (step + 1) + ": gradient norm is " + norm
                            + " (weights left as after step " + step + "; lower the learning rate)");
                }
                float scale = norm > MAX_GRAD_NORM ? (float) (MAX_GRAD_NORM / norm) : 1f;
                for (var e : model.parameters().entrySet()) {
                    try (NDArray g = e.getValue().getGradient()) {
                        if (scale < 1f) {
                            g.muli(scale);
                        }
                        adam.update(e.getKey(), e.getValue(), g);
                    }
                }
            }
            if (step >= s.steps() - 50) {
                tail += loss;
                tailN++;
            }
            if (progress != null) {
                progress.step(step + 1, s.steps(), loss, (System.nanoTime() - start) / 1e9);
            }
        }
        return tail / tailN;
    }

    /** ids [B, T] padded with {@link WordVocab#PAD_ID} and weights [B, T] (1 = trained target). */
    static NDArray[] pad(NDManager m, Example[] batch) {
        int t = 0;
        for (Example e : batch) {
            t = Math.max(t, e.ids().length);
        }
        int[] ids = new int[batch.length * t];
        float[] w = new float[batch.length * t];
        for (int r = 0; r < batch.length; r++) {
            int[] row = batch[r].ids();
            System.arraycopy(row, 0, ids, r * t, row.length);
            for (int j = batch[r].trainFrom(); j < row.length; j++) {
                w[r * t + j] = 1;
            }
        }
        return new NDArray[] {m.create(ids, new Shape(batch.length, t)), m.create(w, new Shape(batch.length, t))};
    }

    /** L2 norm of all parameter gradients together, in double. */
    static double gradientNorm(DjlGpt2 model) {
        double sq = 0;
        for (NDArray a : model.parameters().values()) {
            // the square lives in the parameter's (long-lived) manager: close it, or every step leaks
            try (NDArray g = a.getGradient();
                    NDArray squares = g.square();
                    NDArray s = squares.sum()) {
                sq += s.getFloat();
            }
        }
        return Math.sqrt(sq);
    }

    private static void zero(DjlGpt2 model) {
        for (NDArray a : model.parameters().values()) {
            if (a.hasGradient()) {
                try (NDArray g = a.getGradient()) {
                    g.subi(g);
                }
            }
        }
    }
}
