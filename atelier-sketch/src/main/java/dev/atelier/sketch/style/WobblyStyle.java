package dev.atelier.sketch.style;

import static dev.atelier.sketch.style.SketchFormat.SKETCH_PIXELS;
import static dev.atelier.sketch.style.SketchFormat.SKETCH_SIDE;

import java.util.SplittableRandom;

/**
 * {@code wobbly}: a hand-drawn outline. The silhouette is warped by a smooth random displacement
 * field (standard deviation {@value #AMPLITUDE} px, varying over ~{@value #SMOOTHNESS} px, seeded by
 * the garment's pixels) before its 1 px contour is taken, so the line drifts gently off the true edge; pencil
 * pressure varies along the stroke (ink 0.0–{@value #MAX_PRESSURE_GREY}). White paper, 32×32,
 * 1 = paper, 0 = ink.
 */
public final class WobblyStyle extends GarmentStyle {

    /** Standard deviation of the displacement, px (about 3× this at the extremes). */
    static final double AMPLITUDE = 0.75;

    static final double SMOOTHNESS = 3.0;
    static final float MAX_PRESSURE_GREY = 0.5f;
    private static final long SALT = 0x30BB_1EL;

    public WobblyStyle() {
        super("wobbly", "hand-drawn outline that drifts off the true edge, with varying pencil pressure");
    }

    @Override
    float[] draw(Garment g) {
        SplittableRandom rnd = new SplittableRandom(g.seed() ^ SALT);
        float[] dx = ImageOps.smoothNoise(SKETCH_SIDE, SKETCH_SIDE, SMOOTHNESS, rnd);
        float[] dy = ImageOps.smoothNoise(SKETCH_SIDE, SKETCH_SIDE, SMOOTHNESS, rnd);
        float[] pressure = ImageOps.smoothNoise(SKETCH_SIDE, SKETCH_SIDE, SMOOTHNESS, rnd);
        for (int i = 0; i < SKETCH_PIXELS; i++) {
            dx[i] *= (float) AMPLITUDE;
            dy[i] *= (float) AMPLITUDE;
        }
        float[] sil = new float[SKETCH_PIXELS];
        for (int i = 0; i < SKETCH_PIXELS; i++) {
            sil[i] = g.silhouette()[i] ? 1f : 0f;
        }
        // Blur before warping so the bilinear-warped mask has sub-pixel edges to bend smoothly.
        float[] warped = ImageOps.warp(ImageOps.gaussianBlur(sil, SKETCH_SIDE, 0.7), SKETCH_SIDE, dx, dy);
        boolean[] line = MaskOps.innerBoundary(ImageOps.threshold(warped, 0.5f), SKETCH_SIDE);
        float[] out = ImageOps.filled(SKETCH_PIXELS, SketchFormat.PAPER);
        for (int i = 0; i < SKETCH_PIXELS; i++) {
            if (line[i]) {
                float light = Math.min(1f, Math.max(0f, (pressure[i] + 1.5f) / 3f));
                out[i] = MAX_PRESSURE_GREY * light;
            }
        }
        return out;
    }
}
