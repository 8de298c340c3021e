package dev.atelier.sketch.eval;

import dev.atelier.sketch.style.SketchFormat;

/**
 * Brings sketches of a larger model canvas (e.g. 128×128) to the evaluator's 32×32 input, so KID and
 * FSD of any-resolution models are measured in the same feature space as the demo's. Area averaging:
 * target pixel {@code (u, v)} is the mean of the source pixels whose centres fall in its cell
 * {@code [u·s/32, (u+1)·s/32)}; for an integer factor this is a plain k×k box mean. 32×32 input is
 * returned as it is. Stateless.
 */
public final class EvaluatorCanvas {
    private EvaluatorCanvas() {}

    /**
     * @param sketch a square {@code s×s} sketch, {@code s ≥ 32}, row-major in [0,1]
     * @throws IllegalArgumentException when it is not square or smaller than 32×32
     */
    public static float[] toEvaluator(float[] sketch) {
        int out = SketchFormat.SKETCH_SIDE;
        int side = (int) Math.round(Math.sqrt(sketch.length));
        if (side * side != sketch.length || side < out) {
            throw new IllegalArgumentException(
                    "expected a square sketch of at least " + out + "x" + out + ", got " + sketch.length + " pixels");
        }
        if (side == out) {
            return sketch;
        }
        float[] sum = new float[out * out];
        int[] count = new int[out * out];
        for (int y = 0; y < side; y++) {
            // centre of source row y is at y + 0.5; its cell is floor((y + 0.5) * out / side)
            int v = (int) (((2L * y + 1) * out) / (2L * side));
            for (int x = 0; x < side; x++) {
                int u = (int) (((2L * x + 1) * out) / (2L * side));
                sum[v * out + u] += sketch[y * side + x];
                count[v * out + u]++;
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= count[i];
        }
        return sum;
    }
}
