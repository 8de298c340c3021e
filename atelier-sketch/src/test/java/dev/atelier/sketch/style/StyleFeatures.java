package dev.atelier.sketch.style;

import static dev.atelier.sketch.style.SketchFormat.SKETCH_PIXELS;
import static dev.atelier.sketch.style.SketchFormat.SKETCH_SIDE;

import java.util.Arrays;

/**
 * Hand-made features of a (garment, sketch) pair for the style-separability test. A "mark" is a pixel
 * that differs from the sketch's own background level (its median) by more than 0.3, so chalk's light
 * lines on a dark board count as marks just like ink on paper. Tone counts are log-compressed and
 * mark counts normalised by the garment's contour length or area so that garment size does not
 * dominate. Garment-relative features are fair:
 * a conditional generator always sees the garment next to the sketch.
 */
final class StyleFeatures {

    static final String[] NAMES = {
        "background", "black", "darkGrey", "midGrey", "lightGrey", "bgNonPaper",
        "marksPerContourPx", "contourCoverage", "nearContourMarks", "deepMarkDensity", "isolated", "diagonal"
    };

    private StyleFeatures() {}

    static double[] of(float[] garment28, float[] sketch) {
        Garment g = Garment.of(garment28);
        boolean[] sil = g.silhouette();
        boolean[] contour = g.contour();
        boolean[] deep = MaskOps.erode(sil, SKETCH_SIDE, 2);
        boolean[] near = MaskOps.minus(MaskOps.dilate(contour, SKETCH_SIDE, 1), contour);
        boolean[] everywhere = new boolean[SKETCH_PIXELS];
        Arrays.fill(everywhere, true);
        boolean[] far = MaskOps.minus(everywhere, MaskOps.dilate(sil, SKETCH_SIDE, 2));

        float[] sorted = sketch.clone();
        Arrays.sort(sorted);
        float bg = sorted[SKETCH_PIXELS / 2];
        boolean[] mark = new boolean[SKETCH_PIXELS];
        double[] tone = new double[4];
        for (int i = 0; i < SKETCH_PIXELS; i++) {
            float v = sketch[i];
            mark[i] = Math.abs(v - bg) > 0.3f;
            int bin = v < 0.1f ? 0 : v < 0.4f ? 1 : v < 0.65f ? 2 : v < 0.9f ? 3 : -1;
            if (bin >= 0) {
                tone[bin]++;
            }
        }
        double contourLen = Math.max(1, MaskOps.count(contour));
        int marks = Math.max(1, MaskOps.count(mark));
        double bgNonPaper = 0;
        int bgCount = 0;
        double onContour = 0;
        double nearMarks = 0;
        double deepMarks = 0;
        double isolated = 0;
        double diagonal = 0;
        for (int y = 0; y < SKETCH_SIDE; y++) {
            for (int x = 0; x < SKETCH_SIDE; x++) {
                int i = y * SKETCH_SIDE + x;
                if (far[i]) {
                    bgCount++;
                    bgNonPaper += Math.abs(sketch[i] - 1f) > 0.15f ? 1 : 0;
                }
                if (!mark[i]) {
                    continue;
                }
                onContour += contour[i] ? 1 : 0;
                nearMarks += near[i] ? 1 : 0;
                deepMarks += deep[i] ? 1 : 0;
                boolean n4 = at(mark, x - 1, y) || at(mark, x + 1, y) || at(mark, x, y - 1) || at(mark, x, y + 1);
                boolean d4 = at(mark, x - 1, y - 1)
                        || at(mark, x + 1, y + 1)
                        || at(mark, x + 1, y - 1)
                        || at(mark, x - 1, y + 1);
                isolated += !n4 && !d4 ? 1 : 0;
                diagonal += !n4 && d4 ? 1 : 0;
            }
        }
        return new double[] {
            // log1p of pixel counts: "a dozen grey pixels" vs "none" matters as much as 100 vs 300.
            bg,
            Math.log1p(tone[0]),
            Math.log1p(tone[1]),
            Math.log1p(tone[2]),
            Math.log1p(tone[3]),
            bgNonPaper / Math.max(1, bgCount),
            marks / contourLen,
            onContour / contourLen,
            nearMarks / contourLen,
            deepMarks / Math.max(1, MaskOps.count(deep)),
            isolated / marks,
            diagonal / marks
        };
    }

    private static boolean at(boolean[] m, int x, int y) {
        return x >= 0 && y >= 0 && x < SKETCH_SIDE && y < SKETCH_SIDE && m[y * SKETCH_SIDE + x];
    }
}
