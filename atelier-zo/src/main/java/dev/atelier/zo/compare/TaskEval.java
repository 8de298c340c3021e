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
 * Scores a model on a task's fixed test split: accuracy by calibrated label-word likelihood
 * ({@link LabelScorer}: the content-free prior is measured on the model being scored, so the
 * zero-shot and fine-tuned rows use the same rule), with its 95% Wilson interval, which items it
 * got right (for the paired test, {@link Paired}), and the loss, the mean label-restricted cross
 * entropy −log softmax_labels(scores)[correct] over the test items (nats; what the ZO stores
 * train, {@link TaskStoreData}; ln(labels) for a model that cannot tell the labels apart). Holds
 * one model replica that {@link #of(ParamSet)} overwrites with a global model. Not thread-safe.
 */
public final class TaskEval {
    /**
     * The two decision rules a {@link Score} reports: the argmax of the label scores divided by the
     * content-free prior ({@link LabelScorer}, Zhao et al.), or the plain argmax of the label
     * scores. Which one decides the pass is fixed before a test run (docs/zo.md, "Scoring rule").
     */
    public enum Scorer {
        CALIBRATED,
        UNCALIBRATED
    }

    /**
     * Test accuracy, mean label-restricted loss (nats), and per test item (in split order) whether
     * the prediction was right; {@code rawAccuracy} is the uncalibrated argmax's, for comparison;
     * {@code predicted} the calibrated predicted label per test item (empty when not kept);
     * {@code rawCorrect} / {@code rawPredicted} the uncalibrated argmax's per item (empty when not
     * kept).
     */
    public record Score(
            Accuracy accuracy,
            double loss,
            boolean[] correct,
            Accuracy rawAccuracy,
            int[] predicted,
            boolean[] rawCorrect,
            int[] rawPredicted) {
        public Score {
            correct = correct.clone();
            predicted = predicted.clone();
            rawCorrect = rawCorrect.clone();
            rawPredicted = rawPredicted.clone();
        }

        /** Without the uncalibrated per-item results. */
        public Score(Accuracy accuracy, double loss, boolean[] correct, Accuracy rawAccuracy, int[] predicted) {
            this(accuracy, loss, correct, rawAccuracy, predicted, new boolean[0], new int[0]);
        }

        /** Without the predictions. */
        public Score(Accuracy accuracy, double loss, boolean[] correct, Accuracy rawAccuracy) {
            this(accuracy, loss, correct, rawAccuracy, new int[0]);
        }

        public boolean[] correct() {
            return correct.clone();
        }

        public int[] predicted() {
            return predicted.clone();
        }

        @Override
        public boolean[] rawCorrect() {
            return rawCorrect.clone();
        }

        @Override
        public int[] rawPredicted() {
            return rawPredicted.clone();
        }

        /** The accuracy under {@code s}. */
        public Accuracy accuracy(Scorer s) {
            return s == Scorer.CALIBRATED ? accuracy : rawAccuracy;
        }

        /** Per test item whether {@code s}'s decision was right (empty when not kept). */
        public boolean[] correct(Scorer s) {
            return s == Scorer.CALIBRATED ? correct() : rawCorrect();
        }

        /** How many different labels the calibrated predictions use. */
        public int distinctPredicted() {
            return (int) java.util.Arrays.stream(predicted).distinct().count();
        }

        /** Share of the calibrated predictions equal to {@code label} (e.g. the majority's); NaN without predictions. */
        public double shareOf(int label) {
            return predicted.length == 0
                    ? Double.NaN
                    : (double) java.util.Arrays.stream(predicted)
                                    .filter(p -> p == label)
                                    .count()
                            / predicted.length;
        }

        /** The metrics this score adds to a round of {@code metrics.jsonl}. */
        public Map<String, Double> metrics() {
            return Map.of(
                    "test_accuracy", accuracy.value(),
                    "test_accuracy_low", accuracy.low(),
                    "test_accuracy_high", accuracy.high(),
                    "test_accuracy_uncalibrated", rawAccuracy.value(),
                    "test_accuracy_uncalibrated_low", rawAccuracy.low(),
                    "test_accuracy_uncalibrated_high", rawAccuracy.high(),
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
        LabelScorer.Calibration cal = scorer.contentFree();
        LabelScorer.Calibration none = LabelScorer.Calibration.none(cal.logPrior().length);
        boolean[] right = new boolean[test.size()];
        int[] predicted = new int[test.size()];
        boolean[] rawRight = new boolean[test.size()];
        int[] rawPredicted = new int[test.size()];
        int correct = 0;
        int raw = 0;
        double loss = 0;
        for (int i = 0; i < right.length; i++) {
            TaskItem it = test.get(i);
            double[] s = scorer.scores(it.text());
            predicted[i] = LabelScorer.predict(s, cal);
            right[i] = predicted[i] == it.label();
            correct += right[i] ? 1 : 0;
            rawPredicted[i] = LabelScorer.predict(s, none);
            rawRight[i] = rawPredicted[i] == it.label();
            raw += rawRight[i] ? 1 : 0;
            loss -= LabelScorer.restricted(s)[it.label()];
        }
        return new Score(
                Accuracy.of(correct, test.size()),
                loss / test.size(),
                right,
                Accuracy.of(raw, test.size()),
                predicted,
                rawRight,
                rawPredicted);
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
