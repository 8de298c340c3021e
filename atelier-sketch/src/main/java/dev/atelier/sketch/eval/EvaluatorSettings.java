package dev.atelier.sketch.eval;

/**
 * How the evaluator is trained. Part of its cache key (via {@link #toString()}).
 *
 * @param steps        optimizer steps (Adam, cosine decay to lr/100)
 * @param batchSize    reference sketches per step, drawn uniformly over (garment, style) pairs (plus
 *                     {@code max(1, batchSize/8)} synthetic non-sketches, see {@link NonSketches})
 * @param lr           initial learning rate
 * @param seed         seeds initialisation and batch sampling
 * @param maxGarments  public-split garments used (the first ones), each rendered in all 8 styles
 * @param testGarments test garments rendered in all styles to report accuracy (the first ones)
 */
public record EvaluatorSettings(int steps, int batchSize, float lr, long seed, int maxGarments, int testGarments) {
    public EvaluatorSettings {
        if (steps < 1 || batchSize < 1 || !(lr > 0) || maxGarments < 1 || testGarments < 1) {
            throw new IllegalArgumentException("invalid evaluator settings: steps=" + steps + " batch=" + batchSize
                    + " lr=" + lr + " maxGarments=" + maxGarments + " testGarments=" + testGarments);
        }
    }

    /** The demo's default: 1 500 public garments × 8 styles, 600 steps of 64; accuracy on 500 × 8 test sketches. */
    public static EvaluatorSettings defaults() {
        return new EvaluatorSettings(600, 64, 2e-3f, 20_250_301L, 1500, 500);
    }

    /** For {@code --quick} and the bundled fixture: 300 garments, 300 steps of 32; accuracy on 200 × 8 test sketches. */
    public static EvaluatorSettings quick() {
        return new EvaluatorSettings(300, 32, 2e-3f, 20_250_301L, 300, 200);
    }

    public EvaluatorSettings withSteps(int newSteps) {
        return new EvaluatorSettings(newSteps, batchSize, lr, seed, maxGarments, testGarments);
    }
}
