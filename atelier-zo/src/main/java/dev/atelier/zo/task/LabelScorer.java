package dev.atelier.zo.task;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.KvCache;
import dev.atelier.zo.model.LmTokenizer;
import java.util.List;

/**
 * Classifies by label-word log-likelihood with the pure-Java forward: the predicted class is the
 * label whose completion tokens have the highest summed log-probability after the prompt (ties:
 * the lower label). When every completion is one token (the base LM's word vocabulary) one
 * forward of the prompt scores all labels; otherwise prompt + completion runs once per label.
 * Reads the model only; not thread-safe per instance.
 */
public final class LabelScorer {
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
            float[] logits = model.logits(e.prompt());
            int last = (e.prompt().length - 1) * vocab;
            double lse = logSumExp(logits, last, vocab);
            for (int l = 0; l < out.length; l++) {
                out[l] = logits[last + completions[l][0]] - lse;
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

    public int predict(String text) {
        double[] s = scores(text);
        int best = 0;
        for (int l = 1; l < s.length; l++) {
            if (s[l] > s[best]) {
                best = l;
            }
        }
        return best;
    }

    /** Accuracy on {@code items} with its 95% Wilson interval. */
    public Accuracy accuracy(List<TaskItem> items) {
        int correct = 0;
        for (TaskItem it : items) {
            if (predict(it.text()) == it.label()) {
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
