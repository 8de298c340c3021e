package dev.atelier.sketch.style;

import static dev.atelier.sketch.style.SketchFormat.SKETCH_PIXELS;
import static dev.atelier.sketch.style.SketchFormat.SKETCH_SIDE;

/**
 * {@code blueprint}: a technical drawing. Faint grid lines ({@value #GRID_GREY}) every
 * {@value #GRID_STEP} px cover the paper wherever the garment is absent; the garment is a clean white
 * cut-out with a black 1 px contour and a dashed grey vertical centre line through its bounding box
 * (the symmetry axis a pattern maker would draw). 32×32, 1 = paper, 0 = ink.
 */
public final class BlueprintStyle extends GarmentStyle {

    static final int GRID_STEP = 4;
    /** Grid rows/columns are at coordinates ≡ this offset (mod GRID_STEP). */
    static final int GRID_OFFSET = 1;

    static final float GRID_GREY = 0.7f;
    static final float AXIS_GREY = 0.45f;

    public BlueprintStyle() {
        super("blueprint", "black contour over a faint square grid, with a dashed centre line through the garment");
    }

    @Override
    float[] draw(Garment g) {
        float[] out = ImageOps.filled(SKETCH_PIXELS, SketchFormat.PAPER);
        boolean[] grid = new boolean[SKETCH_PIXELS];
        for (int k = GRID_OFFSET; k < SKETCH_SIDE; k += GRID_STEP) {
            MaskOps.drawLine(grid, SKETCH_SIDE, 0, k, SKETCH_SIDE - 1, k);
            MaskOps.drawLine(grid, SKETCH_SIDE, k, 0, k, SKETCH_SIDE - 1);
        }
        ImageOps.paint(out, MaskOps.minus(grid, g.silhouette()), GRID_GREY);
        drawAxis(out, g);
        ImageOps.paint(out, g.contour(), SketchFormat.INK);
        return out;
    }

    /** Dashed (2 on, 2 off) vertical line at the bounding-box centre, inside the silhouette only. */
    private static void drawAxis(float[] out, Garment g) {
        int minX = SKETCH_SIDE;
        int maxX = -1;
        for (int i = 0; i < SKETCH_PIXELS; i++) {
            if (g.silhouette()[i]) {
                minX = Math.min(minX, i % SKETCH_SIDE);
                maxX = Math.max(maxX, i % SKETCH_SIDE);
            }
        }
        if (maxX < 0) {
            return;
        }
        int cx = (minX + maxX) / 2;
        boolean[] axis = new boolean[SKETCH_PIXELS];
        MaskOps.drawLine(axis, SKETCH_SIDE, cx, 0, cx, SKETCH_SIDE - 1);
        for (int y = 0; y < SKETCH_SIDE; y++) {
            int i = y * SKETCH_SIDE + cx;
            if (axis[i] && g.silhouette()[i] && (y / 2) % 2 == 0) {
                out[i] = AXIS_GREY;
            }
        }
    }
}
