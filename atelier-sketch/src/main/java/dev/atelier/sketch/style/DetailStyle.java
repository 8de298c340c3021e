package dev.atelier.sketch.style;

import static dev.atelier.sketch.style.SketchFormat.SKETCH_PIXELS;
import static dev.atelier.sketch.style.SketchFormat.SKETCH_SIDE;

/**
 * {@code detail}: the black 1 px contour plus thin grey interior lines where the garment's brightness
 * changes: seams, collars, pockets, prints. Interior lines are Sobel edges of the lightly smoothed
 * intensity, thinned to 1 px by non-maximum suppression along the gradient direction (as in Canny),
 * and drawn grey 0.1–0.6 depending on edge strength. White paper, 32×32, 1 = paper, 0 = ink.
 */
public final class DetailStyle extends GarmentStyle {

    /** Gradient magnitude (Sobel units, unit step = 4) below which nothing is drawn. */
    static final float EDGE_LOW = 0.3f;
    /** Gradient magnitude at and above which an interior line reaches its darkest grey. */
    static final float EDGE_HIGH = 1.2f;
    /** Grey of the dashed topstitching line. */
    static final float STITCH_GREY = 0.5f;

    public DetailStyle() {
        super("detail", "black contour plus thin grey interior edge lines (Sobel) for seams, collars and prints");
    }

    @Override
    float[] draw(Garment g) {
        float[] out = ImageOps.filled(SKETCH_PIXELS, SketchFormat.PAPER);
        float[] strength = interiorEdges(g);
        for (int i = 0; i < SKETCH_PIXELS; i++) {
            if (strength[i] > 0) {
                out[i] = 0.6f - 0.5f * strength[i];
            }
        }
        ImageOps.paint(out, stitching(g), STITCH_GREY);
        ImageOps.paint(out, g.contour(), SketchFormat.INK);
        return out;
    }

    /**
     * Topstitching, as on a technical flat: a dashed line (2 on, 2 off along x + y) two pixels inside
     * the contour. It is what keeps plain, untextured garments from looking like {@code contour}.
     */
    static boolean[] stitching(Garment g) {
        boolean[] seam = MaskOps.innerBoundary(MaskOps.erode(g.silhouette(), SKETCH_SIDE, 1), SKETCH_SIDE);
        for (int i = 0; i < SKETCH_PIXELS; i++) {
            int x = i % SKETCH_SIDE;
            int y = i / SKETCH_SIDE;
            seam[i] &= ((x + y) / 2) % 2 == 0;
        }
        return seam;
    }

    /**
     * Interior edge strength in [0,1] (0 = no line), 1 px thin. Restricted to pixels at least 2 px
     * inside the silhouette so the soft outer rim of the garment does not double the contour.
     */
    static float[] interiorEdges(Garment g) {
        float[][] grad = ImageOps.sobel(ImageOps.gaussianBlur(g.intensity(), SKETCH_SIDE, 0.5), SKETCH_SIDE);
        float[] mag = new float[SKETCH_PIXELS];
        for (int i = 0; i < SKETCH_PIXELS; i++) {
            mag[i] = (float) Math.hypot(grad[0][i], grad[1][i]);
        }
        boolean[] interior = MaskOps.erode(g.silhouette(), SKETCH_SIDE, 2);
        float[] s = new float[SKETCH_PIXELS];
        for (int y = 1; y < SKETCH_SIDE - 1; y++) {
            for (int x = 1; x < SKETCH_SIDE - 1; x++) {
                int i = y * SKETCH_SIDE + x;
                if (!interior[i] || mag[i] <= EDGE_LOW) {
                    continue;
                }
                // Non-maximum suppression: keep the pixel only if it is a ridge across the edge,
                // i.e. not weaker than both neighbours along the (quantised) gradient direction.
                int step = gradientStep(grad[0][i], grad[1][i]);
                if (mag[i] >= mag[i + step] && mag[i] >= mag[i - step]) {
                    s[i] = Math.min(1f, (mag[i] - EDGE_LOW) / (EDGE_HIGH - EDGE_LOW));
                }
            }
        }
        return s;
    }

    /** Index offset to the neighbour along the gradient, quantised to 0°, 45°, 90° or 135°. */
    private static int gradientStep(float gx, float gy) {
        double angle = Math.toDegrees(Math.atan2(gy, gx));
        if (angle < 0) {
            angle += 180;
        }
        if (angle < 22.5 || angle >= 157.5) {
            return 1;
        } else if (angle < 67.5) {
            return SKETCH_SIDE + 1;
        } else if (angle < 112.5) {
            return SKETCH_SIDE;
        }
        return SKETCH_SIDE - 1;
    }
}
