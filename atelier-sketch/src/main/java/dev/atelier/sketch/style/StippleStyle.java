package dev.atelier.sketch.style;

import static dev.atelier.sketch.style.SketchFormat.SKETCH_PIXELS;
import static dev.atelier.sketch.style.SketchFormat.SKETCH_SIDE;

import java.util.SplittableRandom;

/**
 * {@code stipple}: black 1 px dots inside the garment whose density grows with the garment's
 * darkness (1 − smoothed intensity), over a light grey ({@value #CONTOUR_GREY}) contour. White paper,
 * 32×32, 1 = paper, 0 = ink. Dot positions come from a generator seeded by the garment's pixels, so
 * they are reproducible; a dot is never placed next to (8-neighbourhood) another dot, which keeps
 * the dots separate instead of clumping into blobs or diagonal streaks.
 */
public final class StippleStyle extends GarmentStyle {

    static final float CONTOUR_GREY = 0.6f;
    /** Dot probability on the brightest cloth (darkness 0). */
    static final double BASE_DENSITY = 0.04;
    /** Extra dot probability per unit of darkness. */
    static final double DARK_DENSITY = 0.5;

    private static final long SALT = 0x5717_9E11L;

    public StippleStyle() {
        super("stipple", "black dots whose density follows the garment's darkness, over a light grey contour");
    }

    @Override
    float[] draw(Garment g) {
        float[] smooth = ImageOps.maskedBlur(g.intensity(), g.silhouette(), SKETCH_SIDE, 0.8);
        boolean[] inside = MaskOps.minus(g.silhouette(), g.contour());
        SplittableRandom rnd = new SplittableRandom(g.seed() ^ SALT);
        float[] out = ImageOps.filled(SKETCH_PIXELS, SketchFormat.PAPER);
        ImageOps.paint(out, g.contour(), CONTOUR_GREY);
        for (int y = 0; y < SKETCH_SIDE; y++) {
            for (int x = 0; x < SKETCH_SIDE; x++) {
                int i = y * SKETCH_SIDE + x;
                // Draw the random number for every pixel so one pixel's outcome never shifts the
                // stream for the rest of the image.
                double u = rnd.nextDouble();
                if (!inside[i]) {
                    continue;
                }
                double p = BASE_DENSITY + DARK_DENSITY * (1.0 - smooth[i]);
                if (u < p && !dotBefore(out, x, y)) {
                    out[i] = SketchFormat.INK;
                }
            }
        }
        return out;
    }

    /** True if a dot was already placed left, up-left, up or up-right (the pixels visited earlier). */
    private static boolean dotBefore(float[] out, int x, int y) {
        int i = y * SKETCH_SIDE + x;
        boolean left = x > 0 && out[i - 1] == SketchFormat.INK;
        boolean up = y > 0
                && (out[i - SKETCH_SIDE] == SketchFormat.INK
                        || (x > 0 && out[i - SKETCH_SIDE - 1] == SketchFormat.INK)
                        || (x + 1 < SKETCH_SIDE && out[i - SKETCH_SIDE + 1] == SketchFormat.INK));
        return left || up;
    }
}
