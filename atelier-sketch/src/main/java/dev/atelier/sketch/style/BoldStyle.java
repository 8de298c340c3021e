package dev.atelier.sketch.style;

import static dev.atelier.sketch.style.SketchFormat.SKETCH_SIDE;

/**
 * {@code bold}: a thick marker outline, 2 px wide, straddling the silhouette edge (one pixel outside
 * the silhouette and one inside) on white paper (32×32, 1 = paper, 0 = ink).
 */
public final class BoldStyle extends GarmentStyle {

    public BoldStyle() {
        super("bold", "thick 2 px black marker outline straddling the silhouette edge");
    }

    @Override
    float[] draw(Garment g) {
        // Outer 1 px ring (dilation minus silhouette) + inner 1 px band (silhouette minus its 3x3
        // erosion) gives a 2 px stroke centred on the edge; 3 px swallowed trousers and sandals.
        boolean[] outer = MaskOps.minus(MaskOps.dilate(g.silhouette(), SKETCH_SIDE, 1), g.silhouette());
        boolean[] inner = MaskOps.minus(g.silhouette(), MaskOps.erode(g.silhouette(), SKETCH_SIDE, 1));
        float[] out = ImageOps.filled(SketchFormat.SKETCH_PIXELS, SketchFormat.PAPER);
        ImageOps.paint(out, outer, SketchFormat.INK);
        ImageOps.paint(out, inner, SketchFormat.INK);
        return out;
    }
}
