package dev.atelier.sketch.student;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.atelier.ml.nn.Images;
import dev.atelier.ml.nn.ParamOptimizer;
import dev.atelier.ml.nn.layers.Scalars;
import dev.atelier.sketch.model.SketchGan;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;

/**
 * Distils the teacher's frozen encoder into a student's own {@link StudentEncoder}, before its
 * decoder is distilled ({@link StudentDistiller} then feeds the decoder the student encoder's maps).
 * Garments only.
 *
 * <pre>
 *   T_s = teacher.encode(x)_s                     constants, per scale s = 1..K
 *   S_s = student encoder(x)_s                    BatchNorm in training mode
 *   L   = (1/K) Σ_s mean((S_s − T_s)²) / mean(T_s²)
 * </pre>
 * Each scale's error is relative to that scale's energy, so coarse maps with large values do not
 * drown the fine ones. Adam (β = 0.9, 0.999) on the encoder's weights only; batches drawn uniformly
 * with a seeded {@link SplittableRandom}; each step in its own sub-manager, opening the JVM's one
 * gradient collector once. AdaIN_SD re-normalises every channel afterwards, so what has to match is
 * the maps' shape, which this loss measures up to the relative scale. Borrows the student and its
 * teacher. Not thread-safe.
 */
public final class EncoderDistiller {
    private final SketchStudent student;
    private final SketchGan teacher;
    private final List<float[]> garments;
    private final int batchSize;
    private final ParamOptimizer optimizer;
    private final SplittableRandom rng;
    private final ParameterStore store;

    /**
     * @param garments garments on the teacher's canvas in [0,1] (never the held-out ones)
     * @param lr Adam learning rate
     */
    public EncoderDistiller(SketchStudent student, List<float[]> garments, int batchSize, float lr, long seed) {
        this.student = Objects.requireNonNull(student, "student");
        if (!student.hasOwnEncoder()) {
            throw new IllegalArgumentException(
                    "the student uses the teacher's encoder; create it with createWithEncoder");
        }
        if (garments.isEmpty() || batchSize < 2 || !(lr > 0)) {
            throw new IllegalArgumentException("need garments, batch >= 2 (BatchNorm) and lr > 0, got "
                    + garments.size() + ", " + batchSize + ", " + lr);
        }
        this.teacher = student.teacher();
        this.garments = List.copyOf(garments);
        this.batchSize = batchSize;
        this.optimizer = ParamOptimizer.adam(student.encoderParameters(), lr, 0.9f, 0.999f);
        this.rng = new SplittableRandom(seed);
        this.store = student.store();
    }

    /**
     * Runs {@code steps} steps.
     *
     * @param progress receives each step's loss, may be null
     * @return the mean loss over the last quarter of the steps (NaN for 0 steps)
     */
    public double distill(int steps, DoubleConsumer progress) {
        double tail = 0;
        int tailCount = 0;
        for (int i = 0; i < steps; i++) {
            double loss = step();
            if (progress != null) {
                progress.accept(loss);
            }
            if (i >= steps - Math.max(1, steps / 4)) {
                tail += loss;
                tailCount++;
            }
        }
        return tailCount == 0 ? Double.NaN : tail / tailCount;
    }

    /** The relative feature error of the current student encoder on {@code sample} (inference mode). */
    public double error(List<float[]> sample) {
        int[] idx = new int[sample.size()];
        java.util.Arrays.setAll(idx, i -> i);
        try (NDManager sm = student.manager().newSubManager()) {
            NDArray x = Images.batch(sm, sample, idx);
            return loss(student.encode(x), teacher.encode(x)).getFloat();
        }
    }

    private double step() {
        int[] idx = new int[batchSize];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = rng.nextInt(garments.size());
        }
        try (NDManager sm = student.manager().newSubManager()) {
            NDArray x = Images.batch(sm, garments, idx);
            NDList target = teacher.encode(x);
            optimizer.zeroGradients();
            double value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = loss(student.ownEncoder().features(store, x, true), target);
                value = loss.getFloat();
                gc.backward(loss);
            }
            optimizer.step();
            return value;
        }
    }

    /** Over the student's scales: all of the teacher's, or 2..K for a sub-pixel student (both finest first). */
    private static NDArray loss(NDList student, NDList teacher) {
        int skip = teacher.size() - student.size();
        NDArray total = null;
        for (int s = 0; s < student.size(); s++) {
            NDArray t = teacher.get(s + skip).stopGradient();
            NDArray term =
                    student.get(s).sub(t).square().mean().div(t.square().mean().add(1e-8f));
            total = total == null ? term : total.add(term);
        }
        return Scalars.div(total, student.size());
    }
}
