package dev.atelier.sketch.style;

import static dev.atelier.sketch.style.SketchFormat.SKETCH_SIDE;

/**
 * The per-image analysis every style starts from, computed on the 32×32 padded canvas.
 *
 * @param intensity  padded garment, 1024 values in [0,1], 1 = bright garment, 0 = background
 * @param silhouette pixels belonging to the garment (intensity above {@link #SILHOUETTE_THRESHOLD})
 * @param contour    1 px inner boundary of the silhouette
 * @param seed       content-derived seed: same garment → same seed → same "random" marks
 */
record Garment(float[] intensity, boolean[] silhouette, boolean[] contour, long seed) {

    /**
     * Fashion-MNIST backgrounds are exactly 0 and dark garments still sit around 0.05–0.2, so a low
     * threshold keeps dark clothes whole; 0.04 ≈ 10/255 ignores faint JPEG-like specks.
     */
    static final float SILHOUETTE_THRESHOLD = 0.04f;

    /** Enclosed background regions up to this many pixels are treated as part of the garment. */
    static final int MAX_HOLE_AREA = 30;

    static Garment of(float[] garment28) {
        float[] padded = SketchFormat.padGarment(garment28);
        boolean[] raw = ImageOps.threshold(padded, SILHOUETTE_THRESHOLD);
        // Opening-like clean-up: drop isolated specks (pixels with < 2 silhouette 8-neighbours)
        // so the contour does not sprout 1 px circles around single noisy pixels.
        boolean[] sil = new boolean[raw.length];
        for (int y = 0; y < SKETCH_SIDE; y++) {
            for (int x = 0; x < SKETCH_SIDE; x++) {
                int i = y * SKETCH_SIDE + x;
                if (raw[i] && neighbours(raw, x, y) >= 2) {
                    sil[i] = true;
                }
            }
        }
        // Dark prints and logos fall below the threshold and would punch holes into the silhouette;
        // fill small enclosed holes but keep large ones such as bag handles.
        sil = MaskOps.fillHoles(sil, SKETCH_SIDE, MAX_HOLE_AREA);
        boolean[] contour = MaskOps.innerBoundary(sil, SKETCH_SIDE);
        return new Garment(padded, sil, contour, ImageOps.contentSeed(garment28));
    }

    private static int neighbours(boolean[] m, int x, int y) {
        int n = 0;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int xx = x + dx;
                int yy = y + dy;
                if ((dx != 0 || dy != 0)
                        && xx >= 0
                        && yy >= 0
                        && xx < SKETCH_SIDE
                        && yy < SKETCH_SIDE
                        && m[yy * SKETCH_SIDE + xx]) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Darkness of the garment cloth: 1 − intensity inside the silhouette, 0 outside. */
    float darkness(int i) {
        return silhouette[i] ? 1f - intensity[i] : 0f;
    }
}
