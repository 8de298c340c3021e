package dev.atelier.sketch.eval;

import dev.atelier.sketch.style.ImageOps;
import dev.atelier.sketch.style.SketchFormat;
import java.util.SplittableRandom;

/**
 * Synthetic images that are not a sketch in any style, for the evaluator's "none of the styles"
 * class ({@link EvaluatorBlock#NONE}).
 *
 * <p>Why: a classifier trained only on the 8 styles must put every input into one of them. Before
 * this class existed, uniform noise was classified as {@code detail} with ~100 % confidence, so a
 * generator that collapsed to noise would have scored perfect style accuracy for that designer. This
 * is the outlier-exposure idea (Hendrycks, Mazeika &amp; Dietterich, ICLR 2019) with an explicit reject
 * class. The kinds are generic, not modelled on any generator's failures: uniform noise, smooth noise
 * at a random scale, flat grey with faint noise, and an unsketched garment photo (as is, or inverted),
 * which is what an image-to-sketch model that merely copies its input would produce.
 *
 * <p>Output: 32×32 {@code float[1024]} in [0,1]. Deterministic for a given RNG state; thread-safe
 * if each thread has its own RNG.
 */
final class NonSketches {
    static final int KINDS = 5;

    private NonSketches() {}

    /**
     * One non-sketch image of a random kind.
     *
     * @param garment28 a 28×28 garment photo in [0,1], used by the photo kinds
     */
    static float[] sample(SplittableRandom rng, float[] garment28) {
        int n = SketchFormat.SKETCH_PIXELS;
        float[] out = new float[n];
        switch (rng.nextInt(KINDS)) {
            case 0 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) rng.nextDouble();
                }
            }
            case 1 -> {
                float[] s = ImageOps.smoothNoise(
                        SketchFormat.SKETCH_SIDE, SketchFormat.SKETCH_SIDE, 0.5 + 2.5 * rng.nextDouble(), rng);
                float mid = (float) rng.nextDouble();
                float amp = 0.1f + 0.25f * (float) rng.nextDouble();
                for (int i = 0; i < n; i++) {
                    out[i] = mid + amp * s[i];
                }
            }
            case 2 -> {
                float level = (float) rng.nextDouble();
                for (int i = 0; i < n; i++) {
                    out[i] = level + 0.05f * (float) rng.nextGaussian();
                }
            }
            case 3 -> out = SketchFormat.padGarment(garment28);
            default -> {
                out = SketchFormat.padGarment(garment28);
                for (int i = 0; i < n; i++) {
                    out[i] = 1 - out[i];
                }
            }
        }
        return ImageOps.clamp01(out);
    }
}
