package dev.atelier.zo.model;

import java.util.Arrays;
import java.util.Set;

/**
 * Greedy decoding as {@code transformers}' {@code generate(do_sample=False)}: the prompt runs once,
 * then each step feeds the argmax token (first index on ties, like {@code torch.argmax}) through
 * the {@link KvCache}, stopping early after an end-of-sequence id. Stateless.
 */
public final class Greedy {
    private Greedy() {}

    /**
     * The prompt followed by up to {@code maxNewTokens} generated ids; generation also stops after
     * emitting any id of {@code stopIds} (included in the output) or at the model's max positions.
     */
    public static int[] generate(CausalLm model, int[] prompt, int maxNewTokens, Set<Integer> stopIds) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty");
        }
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("max new tokens must be >= 0, got " + maxNewTokens);
        }
        int max = model.config().dims().maxPositions();
        if (prompt.length > max) {
            throw new IllegalArgumentException(
                    "the prompt has " + prompt.length + " tokens, more than the model's " + max + " positions");
        }
        int total = (int) Math.min((long) prompt.length + maxNewTokens, max);
        int vocab = model.config().dims().vocabSize();
        int[] out = Arrays.copyOf(prompt, total);
        if (total == prompt.length) {
            return out;
        }
        KvCache cache = model.newCache(total);
        float[] logits = model.forward(prompt, cache);
        int at = prompt.length;
        int lastRow = prompt.length - 1;
        while (true) {
            int next = argmax(logits, lastRow * vocab, vocab);
            out[at++] = next;
            if (at == total || stopIds.contains(next)) {
                return Arrays.copyOf(out, at);
            }
            logits = model.forward(new int[] {next}, cache);
            lastRow = 0;
        }
    }

    static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
