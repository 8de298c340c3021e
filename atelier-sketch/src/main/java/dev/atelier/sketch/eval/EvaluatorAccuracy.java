package dev.atelier.sketch.eval;

import java.util.Arrays;

/**
 * The evaluator's top-1 accuracy on reference renderings of held-out <em>test</em> garments (every
 * test garment in every style).
 *
 * @param style     style accuracy over all test sketches (argmax over the 8 styles and {@link EvaluatorBlock#NONE}), in [0, 1]
 * @param garment   garment-category accuracy over all test sketches, in [0, 1]
 * @param perStyle  style accuracy per style, in {@link dev.atelier.sketch.style.Styles} order
 * @param sketches  number of test sketches scored (test garments × styles)
 * @param nonSketch fraction of held-out {@link NonSketches} (one per test garment) classified {@link EvaluatorBlock#NONE}
 */
public record EvaluatorAccuracy(double style, double garment, double[] perStyle, int sketches, double nonSketch) {
    public EvaluatorAccuracy {
        perStyle = perStyle.clone();
    }

    /**
     * Scores an evaluator's outputs against the labels of {@code test}.
     *
     * @param nonSketches the evaluator's outputs on held-out non-sketch images
     */
    static EvaluatorAccuracy measure(Embedded out, StyledSketches test, Embedded nonSketches) {
        int styles = EvaluatorBlock.STYLES;
        double[] per = new double[styles];
        int[] counts = new int[styles];
        for (int i = 0; i < test.size(); i++) {
            int s = test.styles()[i];
            counts[s]++;
            if (Embedded.argMax(out.styleProbs()[i]) == s) {
                per[s]++;
            }
        }
        for (int s = 0; s < styles; s++) {
            per[s] = counts[s] == 0 ? Double.NaN : per[s] / counts[s];
        }
        return new EvaluatorAccuracy(
                Embedded.accuracy(out.styleProbs(), test.styles()),
                Embedded.accuracy(out.garmentProbs(), test.garments()),
                per,
                test.size(),
                StyleScores.accuracy(nonSketches.styleProbs(), EvaluatorBlock.NONE));
    }

    @Override
    public double[] perStyle() {
        return perStyle.clone();
    }

    @Override
    public String toString() {
        double[] rounded =
                Arrays.stream(perStyle).map(v -> Math.round(v * 1000) / 1000.0).toArray();
        return String.format(
                java.util.Locale.ROOT,
                "style %.4f, garment %.4f on %d test sketches, non-sketches rejected %.4f, per style %s",
                style,
                garment,
                sketches,
                nonSketch,
                Arrays.toString(rounded));
    }
}
