package dev.atelier.sketch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.atelier.sketch.model.SketchGan;
import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of a generator's trainable weights (Polyak averaging, as StyleGAN
 * keeps for its generator): {@code avg ← β·avg + (1 − β)·w} after every generator update, started
 * at the weights after the first one (so the random initial weights never enter it, however short
 * the training). Between training calls the model holds the average, so
 * what is drawn, saved or sent is the average; training resumes from the last step's weights. At
 * the demo's high generator learning rate the last step's weights jump between styles from one
 * round to the next (docs/demo.md, session 9); the average does not. BatchNorm running
 * statistics are not averaged (they already are running averages). A model saved between calls
 * holds the average, so training resumed from a saved model ({@code sketch train} after an interruption)
 * continues from the average, not from the last step's weights. Owned by one
 * {@link SketchTrainer}; not thread-safe.
 */
final class GeneratorAverage implements AutoCloseable {
    private final float decay;
    private final List<NDArray> weights = new ArrayList<>();
    private final List<NDArray> average = new ArrayList<>();
    /** The last step's weights while the model shows the average, else null. */
    private List<NDArray> parked;

    GeneratorAverage(SketchGan gan, float decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("generator EMA decay must be in (0, 1), got " + decay);
        }
        this.decay = decay;
        for (Parameter p : gan.generatorParameters().values()) {
            if (p.requiresGradient()) {
                weights.add(p.getArray());
            }
        }
    }

    /** Folds the weights of the step just taken into the average. */
    void update() {
        if (average.isEmpty()) {
            weights.forEach(w -> average.add(w.duplicate()));
            return;
        }
        for (int i = 0; i < weights.size(); i++) {
            NDArray avg = average.get(i);
            try (NDArray delta = weights.get(i).sub(avg)) {
                avg.addi(delta.muli(1 - decay));
            }
        }
    }

    /** Puts the average into the model, keeping the last step's weights aside (no-op when shown already). */
    void showAverage() {
        if (parked != null || average.isEmpty()) {
            return;
        }
        parked = new ArrayList<>(weights.size());
        for (int i = 0; i < weights.size(); i++) {
            parked.add(weights.get(i).duplicate());
            average.get(i).copyTo(weights.get(i));
        }
    }

    /** Puts the last step's weights back before training continues (no-op when they are in place). */
    void resumeTraining() {
        if (parked == null) {
            return;
        }
        for (int i = 0; i < weights.size(); i++) {
            parked.get(i).copyTo(weights.get(i));
            parked.get(i).close();
        }
        parked = null;
    }

    @Override
    public void close() {
        average.forEach(NDArray::close);
        if (parked != null) {
            parked.forEach(NDArray::close);
        }
    }
}
