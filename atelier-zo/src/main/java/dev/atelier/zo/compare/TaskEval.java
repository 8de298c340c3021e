package dev.atelier.zo.compare;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.LmTokenizer;
import dev.atelier.zo.model.Param;
import dev.atelier.zo.task.Accuracy;
import dev.atelier.zo.task.LabelScorer;
import dev.atelier.zo.task.TaskItem;
import java.util.List;
import java.util.Map;

/**
 * Scores a model on a task's fixed test split: accuracy by label-word likelihood
 * ({@link LabelScorer}, with its 95% Wilson interval) and the loss, the mean −log p(correct
 * label's tokens | prompt) over the test items (nats; the quantity every method trains). Holds
 * one model replica that {@link #of(ParamSet)} overwrites with a global model. Not thread-safe.
 */
public final class TaskEval {
    /** Test accuracy and mean label loss (nats). */
    public record Score(Accuracy accuracy, double loss) {
        /** The metrics this score adds to a round of {@code metrics.jsonl}. */
        public Map<String, Double> metrics() {
            return Map.of(
                    "test_accuracy", accuracy.value(),
                    "test_accuracy_low", accuracy.low(),
                    "test_accuracy_high", accuracy.high(),
                    "test_loss", loss);
        }
    }

    private final CausalLm model;
    private final LabelScorer scorer;
    private final List<TaskItem> test;

    /** {@code model} is the replica this evaluator owns and overwrites. */
    public TaskEval(CausalLm model, LmTokenizer tokenizer, List<String> labelWords, List<TaskItem> test) {
        if (test.isEmpty()) {
            throw new IllegalArgumentException("an empty test split scores nothing");
        }
        this.model = model;
        this.scorer = new LabelScorer(model, tokenizer, labelWords);
        this.test = List.copyOf(test);
    }

    /** The replica as it is now (e.g. the base LM: the zero-shot row). */
    public Score score() {
        int correct = 0;
        double loss = 0;
        for (TaskItem it : test) {
            double[] s = scorer.scores(it.text());
            int best = 0;
            for (int l = 1; l < s.length; l++) {
                if (s[l] > s[best]) {
                    best = l;
                }
            }
            correct += best == it.label() ? 1 : 0;
            loss -= s[it.label()];
        }
        return new Score(Accuracy.of(correct, test.size()), loss / test.size());
    }

    /** Copies {@code global} (tensors named and shaped as the model's, F32) into the replica and scores it. */
    public Score of(ParamSet global) {
        for (Param p : model.parameters()) {
            Tensor t = global.get(p.name());
            if (t == null || t.numElements() != p.values().length) {
                throw new IllegalArgumentException("global model tensor '" + p.name() + "' is missing or differs");
            }
            System.arraycopy(t.toFloats(), 0, p.values(), 0, p.values().length);
        }
        return score();
    }

    /** −log softmax(logits[from, from + vocab))[target]. */
    static double nll(float[] logits, int from, int vocab, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < from + vocab; i++) {
            max = Math.max(max, logits[i]);
        }
        double s = 0;
        for (int i = from; i < from + vocab; i++) {
            s += Math.exp(logits[i] - max);
        }
        return max + Math.log(s) - logits[from + target];
    }
}
