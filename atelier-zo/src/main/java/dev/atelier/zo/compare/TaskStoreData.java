package dev.atelier.zo.compare;

import dev.atelier.zo.fed.StoreData;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.LmTokenizer;
import dev.atelier.zo.task.TaskItem;
import dev.atelier.zo.task.TaskRows;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A store's share of a labelled task as a zeroth-order client trains on it: each item becomes one
 * row, its prompt followed by its label word's tokens ({@link TaskRows}). The SPSA loss is the
 * label-restricted cross entropy when every label word is one token (−log softmax over the label
 * tokens' logits at the arrow: a classification loss, so SPSA's few directions are not spent on
 * moving probability from the rest of the vocabulary onto the label words as a group), else the
 * cross entropy of the label tokens over the whole vocabulary. The prompt is context, not a
 * target; {@link TaskEval}'s test loss is the same label-restricted quantity. Held-out scoring happens on the coordinator's
 * fixed test split ({@link TaskEval}), so {@link #evaluate} refuses. Immutable; the rows are
 * shared, never copied out of the store.
 */
public final class TaskStoreData implements StoreData {
    private final List<int[]> rows;
    /** Row (by identity) → the index of its first label token. */
    private final Map<int[], Integer> labelFrom = new IdentityHashMap<>();
    /** Each label's single token, or null when some label word has several. */
    private final int[] labelTokens;

    public TaskStoreData(List<TaskItem> items, LmTokenizer tokenizer, List<String> labelWords, int maxPositions) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a store needs at least one task item");
        }
        int[][] completions = TaskRows.completions(tokenizer, labelWords);
        int[] single = new int[completions.length];
        for (int l = 0; single != null && l < single.length; l++) {
            if (completions[l].length == 1) {
                single[l] = completions[l][0];
            } else {
                single = null;
            }
        }
        this.labelTokens = single;
        List<int[]> out = new ArrayList<>();
        for (TaskItem it : items) {
            TaskRows.Encoded e = TaskRows.encode(tokenizer, completions, it.text(), maxPositions);
            int[] row = e.row(it.label());
            out.add(row);
            labelFrom.put(row, e.prompt().length);
        }
        this.rows = List.copyOf(out);
    }

    @Override
    public List<int[]> trainRows() {
        return rows;
    }

    /**
     * Mean label-restricted cross entropy over the batch's rows (single-token labels), else mean
     * −log p(label token | prefix) over the label tokens of the rows.
     */
    @Override
    public double loss(CausalLm model, int[][] batch) {
        int vocab = model.config().dims().vocabSize();
        double nll = 0;
        long n = 0;
        for (int[] row : batch) {
            Integer from = labelFrom.get(row);
            if (from == null) {
                throw new IllegalArgumentException("batch row is not one of this store's rows");
            }
            if (labelTokens != null) {
                // the label token's logits are the prompt's last position: run the prompt only
                float[] last = model.lastLogits(java.util.Arrays.copyOf(row, from));
                nll += restrictedNll(last, 0, row[from]);
                n++;
                continue;
            }
            float[] logits = model.logits(row);
            for (int t = from; t < row.length; t++) {
                nll += TaskEval.nll(logits, (t - 1) * vocab, vocab, row[t]);
                n++;
            }
        }
        return nll / n;
    }

    /**
     * When {@code active} is rows of the output head only and every label is one token (the
     * {@code head[labels]} scope): each row's final-normed last state ({@link CausalLm#lastHidden})
     * is computed once for this training, and the loss then needs the head's label logits alone
     * ({@link CausalLm#headLogits}), the same floats as {@link #loss}. A row whose prompt holds a
     * token whose embedding moves (a tied head's trained row) runs the full forward every time.
     * Anything else: {@link #loss}.
     */
    @Override
    public java.util.function.ToDoubleFunction<int[][]> lossWhileTraining(
            CausalLm model, dev.atelier.zo.train.Trainable active) {
        if (labelTokens == null || active.entries().isEmpty()) {
            return batch -> loss(model, batch);
        }
        java.util.Set<Integer> moving = new java.util.HashSet<>();
        for (var e : active.entries()) {
            if (e.param() != model.headWeight() || e.rows() == null) {
                return batch -> loss(model, batch);
            }
            for (int r : e.rows()) {
                moving.add(r);
            }
        }
        boolean tied = model.headWeight() == model.tokenEmbedding();
        Map<int[], float[]> hidden = new IdentityHashMap<>();
        return batch -> {
            double nll = 0;
            for (int[] row : batch) {
                Integer from = labelFrom.get(row);
                if (from == null) {
                    throw new IllegalArgumentException("batch row is not one of this store's rows");
                }
                int[] prompt = java.util.Arrays.copyOf(row, from);
                boolean frozen = true;
                for (int t = 0; tied && frozen && t < prompt.length; t++) {
                    frozen = !moving.contains(prompt[t]);
                }
                float[] logits;
                float[] h =
                        frozen ? hidden.computeIfAbsent(row, r -> model.lastHidden(prompt)) : model.lastHidden(prompt);
                logits = model.headLogits(h, labelTokens);
                nll += restrictedNll(logits, labelIndex(row[from]));
            }
            return nll / batch.length;
        };
    }

    private int labelIndex(int token) {
        for (int l = 0; l < labelTokens.length; l++) {
            if (labelTokens[l] == token) {
                return l;
            }
        }
        throw new IllegalArgumentException("token " + token + " is no label's");
    }

    /** −log softmax over the label logits {@code logits} (label order) at label {@code label}. */
    private static double restrictedNll(float[] logits, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum) - logits[label];
    }

    private double restrictedNll(float[] logits, int at, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int tok : labelTokens) {
            max = Math.max(max, logits[at + tok]);
        }
        double sum = 0;
        for (int tok : labelTokens) {
            sum += Math.exp(logits[at + tok] - max);
        }
        return max + Math.log(sum) - logits[at + target];
    }

    @Override
    public Evaluation evaluate(CausalLm model) {
        throw new IllegalStateException("task stores hold no held-out items: the test split is scored centrally");
    }
}
