package dev.atelier.sketch.style;

import static dev.atelier.sketch.style.SketchFormat.SKETCH_PIXELS;
import static dev.atelier.sketch.style.SketchFormat.SKETCH_SIDE;

import java.util.SplittableRandom;

/**
 * {@code chalk}: the inverted palette. A dark, slightly smudged board (~{@value #BOARD}) with a
 * light, grainy chalk contour (0.75–0.95), fainter interior edge strokes and a soft dust halo around
 * the lines. Still 32×32 in [0,1], but here high values are the marks and low values the background.
 */
public final class ChalkStyle extends GarmentStyle {

    static final float BOARD = 0.12f;
    private static final long SALT = 0xC4A1_CL;

    public ChalkStyle() {
        super("chalk", "light grainy chalk lines with a dust halo on a dark board (inverted palette)");
    }

    @Override
    float[] draw(Garment g) {
        SplittableRandom rnd = new SplittableRandom(g.seed() ^ SALT);
        float[] strokes = new float[SKETCH_PIXELS];
        float[] detail = DetailStyle.interiorEdges(g);
        for (int i = 0; i < SKETCH_PIXELS; i++) {
            strokes[i] = g.contour()[i] ? 1f : 0.55f * detail[i];
        }
        float[] halo = ImageOps.gaussianBlur(strokes, SKETCH_SIDE, 1.0);
        float[] smudge = ImageOps.smoothNoise(SKETCH_SIDE, SKETCH_SIDE, 3.0, rnd);
        float[] out = new float[SKETCH_PIXELS];
        for (int i = 0; i < SKETCH_PIXELS; i++) {
            // Chalk grain: each stroke pixel keeps 75–95 % of its brightness.
            float grain = 0.75f + 0.2f * (float) rnd.nextDouble();
            float mark = Math.max(strokes[i] * grain, 0.35f * halo[i]);
            out[i] = BOARD + 0.015f * smudge[i] + (0.95f - BOARD) * mark;
        }
        return ImageOps.clamp01(out);
    }
}
