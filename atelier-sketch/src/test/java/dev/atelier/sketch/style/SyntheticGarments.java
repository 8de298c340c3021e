package dev.atelier.sketch.style;

import java.util.SplittableRandom;

/**
 * Deterministic Fashion-MNIST-like test images (28×28, [0,1], bright garment on black) for tests that
 * must not depend on the dataset files: tops with sleeves, trousers, dresses, shoes and bags, each
 * with random size, brightness, a vertical shading ramp, optional stripes and fabric noise.
 */
final class SyntheticGarments {

    static final int SIDE = SketchFormat.GARMENT_SIDE;

    private SyntheticGarments() {}

    static float[][] batch(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] out = new float[n][];
        for (int k = 0; k < n; k++) {
            out[k] = one(k % 5, rnd.split());
        }
        return out;
    }

    /** kind: 0 top, 1 trousers, 2 dress, 3 shoe, 4 bag. */
    static float[] one(int kind, SplittableRandom rnd) {
        boolean[] m = new boolean[SIDE * SIDE];
        int cx = 13 + rnd.nextInt(3);
        switch (kind) {
            case 0 -> {
                int half = 6 + rnd.nextInt(3);
                rect(m, cx - half, 4 + rnd.nextInt(2), cx + half, 25);
                rect(m, cx - half - 4, 5, cx - half, 13 + rnd.nextInt(6));
                rect(m, cx + half, 5, cx + half + 4, 13 + rnd.nextInt(6));
            }
            case 1 -> {
                int half = 4 + rnd.nextInt(3);
                rect(m, cx - half, 1, cx + half, 6);
                rect(m, cx - half, 6, cx - 1, 27);
                rect(m, cx + 1, 6, cx + half, 27);
            }
            case 2 -> {
                for (int y = 2 + rnd.nextInt(2); y < 27; y++) {
                    int half = 3 + (y * (6 + rnd.nextInt(2))) / 27;
                    rect(m, cx - half, y, cx + half, y + 1);
                }
            }
            case 3 -> {
                int top = 14 + rnd.nextInt(5);
                rect(m, 2, 20, 26, 24);
                rect(m, 12 + rnd.nextInt(4), top, 25, 20);
                for (int y = top; y < 20; y++) {
                    rect(m, 2 + (20 - y) * 2, y + 2, 14, y + 3);
                }
            }
            default -> {
                rect(m, 3, 10 + rnd.nextInt(3), 25, 26);
                rect(m, 9, 4, 19, 11);
                rect(m, 11, 6, 17, 11, false);
            }
        }
        float base = 0.35f + 0.55f * (float) rnd.nextDouble();
        float ramp = 0.4f * (float) rnd.nextDouble();
        boolean stripes = rnd.nextBoolean();
        float[] img = new float[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int i = y * SIDE + x;
                if (m[i]) {
                    float v = base - ramp * y / SIDE + 0.08f * (float) (rnd.nextDouble() - 0.5);
                    if (stripes && (y / 3) % 2 == 0) {
                        v -= 0.25f;
                    }
                    img[i] = Math.max(0.08f, Math.min(1f, v));
                }
            }
        }
        return img;
    }

    private static void rect(boolean[] m, int x0, int y0, int x1, int y1) {
        rect(m, x0, y0, x1, y1, true);
    }

    private static void rect(boolean[] m, int x0, int y0, int x1, int y1, boolean v) {
        for (int y = Math.max(0, y0); y < Math.min(SIDE, y1); y++) {
            for (int x = Math.max(0, x0); x < Math.min(SIDE, x1); x++) {
                m[y * SIDE + x] = v;
            }
        }
    }
}
