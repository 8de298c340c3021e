package dev.atelier.zo.firstorder;

import ai.djl.ndarray.NDManager;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.LmTokenizer;
import dev.atelier.zo.model.Param;
import dev.atelier.zo.task.TaskItem;
import dev.atelier.zo.task.TaskRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The first-order baseline's local training (FedAvg client): full fine-tuning of a GPT-2
 * {@link CausalLm} by backprop + Adam ({@link AdamTrainer}) on a store's task items, trained on
 * the label word after the prompt: when every label word is one token, the label-restricted cross
 * entropy (−log softmax over the label tokens' logits, the loss the ZO stores train, so both
 * methods optimise the same objective); otherwise the cross entropy of the correct completion's
 * tokens over the whole vocabulary. The model's
 * live parameters are copied into DJL, trained, and written back in place, so the caller (the
 * federated harness) reads the new weights from {@link CausalLm#parameters} as after a ZO round;
 * Adam's state is per call (fresh each round, as in plain FedAvg). Not thread-safe: one call per
 * model at a time, one per JVM at a time (DJL's gradient collector).
 */
public final class FirstOrderClient {
    private FirstOrderClient() {}

    /** Local steps, batch, constant learning rate (cosine to lr/10 within the call), sampling seed. */
    public record Settings(int steps, int batchSize, float lr, long seed) {}

    /** Trains {@code model} in place on {@code items}; returns the mean loss of the last steps. */
    public static double train(
            CausalLm model, LmTokenizer tokenizer, List<String> labelWords, List<TaskItem> items, Settings s) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a first-order client needs at least one item");
        }
        int[][] completions = TaskRows.completions(tokenizer, labelWords);
        int maxPos = model.config().dims().maxPositions();
        List<AdamTrainer.Example> data = new ArrayList<>();
        for (TaskItem it : items) {
            TaskRows.Encoded e = TaskRows.encode(tokenizer, completions, it.text(), maxPos);
            data.add(new AdamTrainer.Example(e.row(it.label()), e.prompt().length));
        }
        int[] labelTokens = new int[completions.length];
        for (int l = 0; l < completions.length && labelTokens != null; l++) {
            if (completions[l].length == 1) {
                labelTokens[l] = completions[l][0];
            } else {
                labelTokens = null;
            }
        }
        List<Param> params = model.parameters();
        try (NDManager m = NDManager.newBaseManager()) {
            DjlGpt2 djl = DjlGpt2.of(model.config(), params, m);
            double loss = AdamTrainer.train(
                    djl,
                    m,
                    data,
                    new AdamTrainer.Settings(s.steps(), s.batchSize(), s.lr(), s.lr() / 10, s.seed()),
                    null,
                    labelTokens);
            Map<String, float[]> trained = djl.export();
            for (Param p : params) {
                float[] v = trained.get(p.name());
                System.arraycopy(v, 0, p.values(), 0, v.length);
            }
            return loss;
        }
    }
}
