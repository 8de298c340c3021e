package dev.atelier.sketch.style;

/**
 * A deterministic garment → line-sketch renderer: one designer's drawing style.
 *
 * <p>Input: a 28×28 Fashion-MNIST garment, row-major {@code float[784]} in [0,1] with 1 = bright
 * garment on a 0 = black background. Output: a 32×32 sketch, row-major {@code float[1024]} in [0,1]
 * with 1 = white paper and 0 = black ink (chalk draws light on dark within the same range). The garment
 * is zero-padded by 2 px on each side, so input and sketch are pixel-aligned; see {@link SketchFormat}.
 *
 * <p>Implementations are stateless and thread-safe; any randomness is seeded from the garment's pixel
 * content, so the same image always yields a bit-identical sketch.
 */
public interface SketchStyle {

    /** Short lower-case identifier used in configuration files, e.g. {@code "contour"}. */
    String name();

    /** One-sentence human description of what the sketches look like. */
    String description();

    /**
     * Renders one garment.
     *
     * @param garment28 784 values in [0,1] (28×28 row-major, 1 = garment)
     * @return a new array of 1024 values in [0,1] (32×32 row-major, 1 = paper, 0 = ink)
     * @throws IllegalArgumentException if the input length is not 784 or contains NaN
     */
    float[] render(float[] garment28);
}
