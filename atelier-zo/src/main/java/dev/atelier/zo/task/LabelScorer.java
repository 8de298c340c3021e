package dev.atelier.zo.task;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.KvCache;
import dev.atelier.zo.model.LmTokenizer;
import java.util.List;

/**
 * Classifies by label-word likelihood with the pure-Java forward. {@link #scores} gives each
 * label's summed completion log-probability after the prompt (nats, full vocabulary). The decision
 * is <b>contextually calibrated</b> (Zhao et al. 2021, "Calibrate before use"): each label's
 * probability is divided by its probability after content-free prompts ({@link #CONTENT_FREE}),
 * measured on the same model ({@link #contentFree}), so a label word the model likes after any
 * arrow does not win every item; the predicted class is the argmax of
 * {@code scores − calibration.logPrior} (ties: the lower label). Zero-shot and fine-tuned models
 * are scored by the same rule, each with its own content-free prior. When every completion is one
 * token (the base LM's word vocabulary) one forward of the prompt scores all labels; otherwise
 * prompt + completion runs once per label. Reads the model only; not thread-safe per instance.
 */
public final class LabelScorer {
    /** Content-free inputs of the calibration, as in Zhao et al.: "N/A", an empty text, "[MASK]". */
    public static final List<String> CONTENT_FREE = List.of("N/A", "", "[MASK]");

    /**
     * Per-label log of the mean label-restricted probability after the content-free prompts;
     * {@link #NONE} (all zeros) leaves the raw scores.
     */
    public record Calibration(double[] logPrior) {
        public Calibration {
            logPrior = logPrior.clone();
        }

        public static Calibration none(int labels) {
            return new Calibration(new double[labels]);
        }
    }

    private final CausalLm model;
    private final LmTokenizer tokenizer;
    private final int[][] completions;
    private final boolean singleToken;

    public LabelScorer(CausalLm model, LmTokenizer tokenizer, List<String> labelWords) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.completions = TaskRows.completions(tokenizer, labelWords);
        boolean single = true;
        for (int[] c : completions) {
            single &= c.length == 1;
        }
        this.singleToken = single;
    }

    /** Summed log-probability of each label's completion after {@code text}'s prompt. */
    public double[] scores(String text) {
        int maxPos = model.config().dims().maxPositions();
        TaskRows.Encoded e = TaskRows.encode(tokenizer, completions, text, maxPos);
        int vocab = model.config().dims().vocabSize();
        double[] out = new double[completions.length];
        if (singleToken) {
            float[] logits = model.lastLogits(e.prompt());
            double lse = logSumExp(logits, 0, vocab);
            for (int l = 0; l < out.length; l++) {
                out[l] = logits[completions[l][0]] - lse;
            }
            return out;
        }
        for (int l = 0; l < out.length; l++) {
            int[] row = e.row(l);
            KvCache cache = model.newCache(row.length);
            float[] logits = model.forward(row, cache);
            double s = 0;
            for (int j = e.prompt().length; j < row.length; j++) {
                int at = (j - 1) * vocab;
                s += logits[at + row[j]] - logSumExp(logits, at, vocab);
            }
            out[l] = s;
        }
        return out;
    }

    /** The content-free prior of the model as it is now (re-measure after the weights change). */
    public Calibration contentFree() {
        double[] mean = new double[completions.length];
        for (String cf : CONTENT_FREE) {
            double[] p = restricted(scores(cf));
            for (int l = 0; l < mean.length; l++) {
                mean[l] += Math.exp(p[l]) / CONTENT_FREE.size();
            }
        }
        double[] out = new double[mean.length];
        for (int l = 0; l < out.length; l++) {
            out[l] = Math.log(mean[l]);
        }
        return new Calibration(out);
    }

    /** The calibrated decision: argmax of {@code scores − c.logPrior}, ties to the lower label. */
    public static int predict(double[] scores, Calibration c) {
        int best = 0;
        for (int l = 1; l < scores.length; l++) {
            if (scores[l] - c.logPrior()[l] > scores[best] - c.logPrior()[best]) {
                best = l;
            }
        }
        return best;
    }

    /** Label-restricted log-probabilities: {@code scores} log-softmaxed over the labels alone. */
    public static double[] restricted(double[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : scores) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : scores) {
            sum += Math.exp(v - max);
        }
        double lse = max + Math.log(sum);
        double[] out = new double[scores.length];
        for (int l = 0; l < out.length; l++) {
            out[l] = scores[l] - lse;
        }
        return out;
    }

    /** Calibrated accuracy on {@code items} with its 95% Wilson interval (the prior measured now). */
    public Accuracy accuracy(List<TaskItem> items) {
        Calibration c = contentFree();
        int correct = 0;
        for (TaskItem it : items) {
            if (predict(scores(it.text()), c) == it.label()) {
                correct++;
            }
        }
        return Accuracy.of(correct, items.size());
    }

    private static double logSumExp(float[] v, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < from + n; i++) {
            max = Math.max(max, v[i]);
        }
        double s = 0;
        for (int i = from; i < from + n; i++) {
            s += Math.exp(v[i] - max);
        }
        return max + Math.log(s);
    }
}
