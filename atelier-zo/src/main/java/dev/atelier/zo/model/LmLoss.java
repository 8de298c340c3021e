package dev.atelier.zo.model;

/**
 * Causal-LM cross entropy with labels = input ids, shifted by one as Hugging Face computes it:
 * position t predicts token t+1, so a row of n tokens has n − 1 predicted positions. Sums in
 * double via log-sum-exp. Stateless.
 */
public final class LmLoss {
    private LmLoss() {}

    /** A sum of negative log-likelihoods over {@code count} predicted positions. */
    public record Sum(double nll, long count) {
        public Sum plus(Sum o) {
            return new Sum(nll + o.nll, count + o.count);
        }

        /** The mean loss; NaN when no position was predicted. */
        public double mean() {
            return count == 0 ? Double.NaN : nll / count;
        }
    }

    /** Σ_t −log softmax(logits[t])[ids[t+1]] for t in [0, n−1), logits [n, vocab]. */
    public static Sum shifted(float[] logits, int[] ids, int vocab) {
        if (logits.length != (long) ids.length * vocab) {
            throw new IllegalArgumentException(
                    "logits hold " + logits.length + " values, expected " + ids.length + " x " + vocab);
        }
        double nll = 0;
        for (int t = 0; t + 1 < ids.length; t++) {
            nll += logSumExp(logits, t * vocab, vocab) - logits[t * vocab + ids[t + 1]];
        }
        return new Sum(nll, Math.max(0, ids.length - 1));
    }

    /** The mean shifted loss of one sequence under {@code model}. */
    public static Sum of(CausalLm model, int[] ids) {
        return shifted(model.logits(ids), ids, model.config().dims().vocabSize());
    }

    static double logSumExp(float[] v, int from, int n) {
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
