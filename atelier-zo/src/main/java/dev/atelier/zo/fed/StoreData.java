package dev.atelier.zo.fed;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.train.ZoTrainer;
import java.util.List;
import java.util.Map;

/**
 * One store's local examples as a zeroth-order client sees them: token rows to train on and an
 * evaluation of a model on the store's held-out part. This is the seam where a task plugs in
 * (the token-row files of {@link TokenRows} today; a labelled task with accuracy later): the
 * federation only needs rows and metrics. Implementations never send rows anywhere; they are
 * called by one thread at a time.
 */
public interface StoreData {
    /** Held-out metrics and the number of held-out examples they are averaged over (≥ 1). */
    record Evaluation(long examples, Map<String, Double> metrics) {
        public Evaluation {
            if (examples < 1) {
                throw new IllegalArgumentException("an evaluation needs at least one held-out example");
            }
            metrics = Map.copyOf(metrics);
        }
    }

    /** Training rows of token ids, each of at least 2 tokens and at most the model's positions. */
    List<int[]> trainRows();

    /**
     * The training loss of {@code model} on {@code batch} (rows from {@link #trainRows}) that the
     * SPSA step differences: by default every predicted position of every row
     * ({@link ZoTrainer#loss(CausalLm, int[][])}); a task overrides it to score only the label's
     * tokens. Must be deterministic for a given model and batch.
     */
    default double loss(CausalLm model, int[][] batch) {
        return ZoTrainer.loss(model, batch);
    }

    /**
     * The loss of batches during one local training in which only {@code active}'s elements of
     * {@code model} change (perturbations and steps; nothing else is written until it returns):
     * {@link #loss} by default. A task may return a cheaper function that caches what
     * {@code active} cannot change (the frozen part's output) for that training only; it must
     * return what {@link #loss} would, up to float rounding.
     */
    default java.util.function.ToDoubleFunction<int[][]> lossWhileTraining(
            CausalLm model, dev.atelier.zo.train.Trainable active) {
        return batch -> loss(model, batch);
    }

    /**
     * Scores {@code model} on the held-out examples (e.g. {@code loss}, {@code accuracy}).
     *
     * @throws IllegalStateException when the store has no held-out examples
     */
    Evaluation evaluate(CausalLm model);
}
