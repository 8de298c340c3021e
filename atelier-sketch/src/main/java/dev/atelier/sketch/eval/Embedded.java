package dev.atelier.sketch.eval;

/**
 * The evaluator's view of a set of N sketches (inference mode).
 *
 * @param embeddings   {@code [N][128]} penultimate features (global-average-pooled last stage)
 * @param styleProbs   {@code [N][9]} softmax over the 8 styles (in {@link dev.atelier.sketch.style.Styles} order)
 *                     and, last, {@link EvaluatorBlock#NONE} ("not a sketch in any of the styles")
 * @param garmentProbs {@code [N][10]} softmax over the Fashion-MNIST categories
 */
public record Embedded(float[][] embeddings, float[][] styleProbs, float[][] garmentProbs) {
    public Embedded {
        if (embeddings.length != styleProbs.length || embeddings.length != garmentProbs.length) {
            throw new IllegalArgumentException("embedding and probability rows differ in count");
        }
    }

    public int size() {
        return embeddings.length;
    }

    /** Fraction of rows whose most probable class is {@code labels[i]}. */
    static double accuracy(float[][] probs, int[] labels) {
        int hits = 0;
        for (int i = 0; i < probs.length; i++) {
            if (argMax(probs[i]) == labels[i]) {
                hits++;
            }
        }
        return probs.length == 0 ? Double.NaN : (double) hits / probs.length;
    }

    /** Index of the largest entry; ties go to the lower index. */
    static int argMax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }
}
