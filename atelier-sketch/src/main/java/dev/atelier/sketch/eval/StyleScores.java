package dev.atelier.sketch.eval;

import java.util.Set;

/**
 * Scores read off the evaluator's style head for a set of generated sketches of one designer.
 *
 * <p>Input: per-sketch style probabilities {@code p[i][s]}, each row a softmax summing to 1 (from the
 * evaluator: the 8 styles then {@link EvaluatorBlock#NONE}). Both scores are fractions in [0, 1].
 * Stateless and thread-safe.
 */
public final class StyleScores {
    private StyleScores() {}

    /**
     * Fraction of sketches whose most probable class is {@code style} (ties go to the lower index). A
     * sketch the evaluator finds to be no sketch at all ({@link EvaluatorBlock#NONE}) counts as a miss.
     */
    public static double accuracy(float[][] probs, int style) {
        checkStyle(probs, style);
        int hits = 0;
        for (float[] p : probs) {
            if (Embedded.argMax(p) == style) {
                hits++;
            }
        }
        return (double) hits / probs.length;
    }

    /**
     * Fusion score: mean probability mass on the peers' styles,
     * {@code (1/N) Σ_i Σ_{s ∈ P} p[i][s]} with {@code P = peerStyles \ {style}} (a peer who shares the
     * designer's own style does not count as leakage). 0 = no trace of any peer's style; 1 = the
     * designer's sketches are classified entirely as peers' styles. Mass on styles nobody in the
     * federation draws counts in neither, so {@code accuracy}-like own mass + fusion ≤ 1. 0 when P is empty.
     *
     * @param peerStyles style indices of the <em>other</em> designers in the federation
     */
    public static double fusion(float[][] probs, int style, Set<Integer> peerStyles) {
        checkStyle(probs, style);
        double total = 0;
        for (float[] p : probs) {
            int styles = Math.min(p.length, EvaluatorBlock.STYLES);
            for (int s : peerStyles) {
                if (s < 0 || s >= styles) {
                    throw new IllegalArgumentException("peer style " + s + " outside [0, " + styles + ")");
                }
                if (s != style) {
                    total += p[s];
                }
            }
        }
        return total / probs.length;
    }

    private static void checkStyle(float[][] probs, int style) {
        if (probs.length == 0) {
            throw new IllegalArgumentException("no sketches to score");
        }
        if (style < 0 || style >= probs[0].length) {
            throw new IllegalArgumentException("style " + style + " outside [0, " + probs[0].length + ")");
        }
    }
}
