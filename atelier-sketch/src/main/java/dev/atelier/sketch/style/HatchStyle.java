package dev.atelier.sketch.style;

import static dev.atelier.sketch.style.SketchFormat.SKETCH_PIXELS;
import static dev.atelier.sketch.style.SketchFormat.SKETCH_SIDE;

/**
 * {@code hatch}: black 1 px contour plus diagonal pencil hatching (grey {@value #HATCH_INK}).
 * Single "/" hatching every {@value #SPACING} px covers (a) the dark parts of the garment, where
 * darkness &gt; {@value #SINGLE}, and (b) a {@value #SHADOW} px shadow band along the
 * lower-right edges, as if lit from the top-left; crossing "\" lines are added where darkness
 * &gt; {@value #CROSS}. Darkness = 1 − intensity smoothed within the silhouette, so a pale garment
 * gets its shadow band and little else, a dark one is hatched all over. White paper,
 * 32×32, 1 = paper, 0 = ink.
 */
public final class HatchStyle extends GarmentStyle {

    static final int SPACING = 3;
    static final int SHADOW = 4;
    static final float SINGLE = 0.45f;
    static final float CROSS = 0.7f;
    static final float HATCH_INK = 0.2f;

    /** Precomputed hatch patterns over the whole canvas, clipped per garment. */
    private static final boolean[] FORWARD = diagonals(true);

    private static final boolean[] BACKWARD = diagonals(false);

    public HatchStyle() {
        super(
                "hatch",
                "contour plus diagonal hatching in dark areas and a lower-right shadow band, cross-hatched where darkest");
    }

    @Override
    float[] draw(Garment g) {
        // Smoothing makes the shading regions coherent so hatch lines run for several pixels
        // instead of flickering with the fabric texture; masking keeps the black background from
        // darkening the garment's rim.
        float[] smooth = ImageOps.maskedBlur(g.intensity(), g.silhouette(), SKETCH_SIDE, 1.0);
        boolean[] sil = g.silhouette();
        float[] out = ImageOps.filled(SKETCH_PIXELS, SketchFormat.PAPER);
        for (int y = 0; y < SKETCH_SIDE; y++) {
            for (int x = 0; x < SKETCH_SIDE; x++) {
                int i = y * SKETCH_SIDE + x;
                if (!sil[i]) {
                    continue;
                }
                float dark = 1f - smooth[i];
                boolean shadow = !inside(sil, x + SHADOW, y + SHADOW);
                if ((FORWARD[i] && (dark > SINGLE || shadow)) || (BACKWARD[i] && dark > CROSS)) {
                    out[i] = HATCH_INK;
                }
            }
        }
        ImageOps.paint(out, g.contour(), SketchFormat.INK);
        return out;
    }

    private static boolean inside(boolean[] m, int x, int y) {
        return x >= 0 && y >= 0 && x < SKETCH_SIDE && y < SKETCH_SIDE && m[y * SKETCH_SIDE + x];
    }

    private static boolean[] diagonals(boolean forward) {
        boolean[] m = new boolean[SKETCH_PIXELS];
        int n = SKETCH_SIDE;
        for (int k = -n; k < 2 * n; k += SPACING) {
            if (forward) {
                MaskOps.drawLine(m, n, k, 0, k - n, n); // "/": x + y = k
            } else {
                MaskOps.drawLine(m, n, k - n, 0, k, n); // "\": x - y = k - n
            }
        }
        return m;
    }
}
