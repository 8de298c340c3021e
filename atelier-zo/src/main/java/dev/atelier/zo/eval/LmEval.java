package dev.atelier.zo.eval;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.LmLoss;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a causal LM on rows of token ids: the shift-by-one cross entropy with labels = ids,
 * averaged over every predicted position of every row (rows may differ in length; each runs on
 * its own, so there is no padding), and the logits of every row. Stateless.
 */
public final class LmEval {
    private LmEval() {}

    /** Per-row logits ([tokens, vocab] each; empty unless kept) and the loss over all predicted positions. */
    public record Result(List<float[]> logits, LmLoss.Sum loss, int vocab) {
        public Result {
            logits = List.copyOf(logits);
        }

        /** The logits as one F32 tensor [rows, tokens, vocab]; needs rows of equal length. */
        public Tensor logitsTensor(int[][] rows) {
            if (logits.size() != rows.length) {
                throw new IllegalStateException("logits were not kept for these rows");
            }
            int tokens = rows[0].length;
            for (int[] r : rows) {
                if (r.length != tokens) {
                    throw new IllegalArgumentException("the logits tensor needs rows of equal length, got "
                            + rows[0].length + " and " + r.length + " tokens");
                }
            }
            float[] all = new float[Math.multiplyExact(Math.multiplyExact(rows.length, tokens), vocab)];
            for (int i = 0; i < logits.size(); i++) {
                System.arraycopy(logits.get(i), 0, all, i * tokens * vocab, tokens * vocab);
            }
            return Tensor.f32(new long[] {rows.length, tokens, vocab}, all);
        }

        /** {@link #logitsTensor} under the name {@code logits}, ready for safetensors. */
        public ParamSet logitsParamSet(int[][] rows) {
            return ParamSet.builder().put("logits", logitsTensor(rows)).build();
        }
    }

    /**
     * Runs every row, keeping its logits when {@code keepLogits} (rows·tokens·vocab floats);
     * refuses no rows, an empty row, or rows with no predicted position at all.
     */
    public static Result evaluate(CausalLm model, int[][] rows, boolean keepLogits) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("no token ids to evaluate");
        }
        int vocab = model.config().dims().vocabSize();
        List<float[]> logits = new ArrayList<>();
        LmLoss.Sum loss = new LmLoss.Sum(0, 0);
        for (int[] row : rows) {
            if (row.length == 0) {
                throw new IllegalArgumentException("an input row is empty");
            }
            float[] l = model.logits(row);
            if (keepLogits) {
                logits.add(l);
            }
            loss = loss.plus(LmLoss.shifted(l, row, vocab));
        }
        if (loss.count() == 0) {
            throw new IllegalArgumentException(
                    "every row has a single token: the loss needs at least one row of 2 or more tokens");
        }
        return new Result(logits, loss, vocab);
    }
}
