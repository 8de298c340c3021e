package dev.atelier.sketch.style;

/**
 * {@code contour}: a thin, clean 1 px black outline of the garment silhouette on white paper
 * (32×32, 1 = paper, 0 = ink). Holes in the silhouette (bag handles, gaps between trouser legs) get
 * their own outline.
 */
public final class ContourStyle extends GarmentStyle {

    public ContourStyle() {
        super("contour", "thin clean 1 px black outline of the silhouette on white paper");
    }

    @Override
    float[] draw(Garment g) {
        float[] out = ImageOps.filled(SketchFormat.SKETCH_PIXELS, SketchFormat.PAPER);
        ImageOps.paint(out, g.contour(), SketchFormat.INK);
        return out;
    }
}
