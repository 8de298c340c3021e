package dev.atelier.studio.create;

import dev.atelier.sketch.folder.Canvas;
import java.util.List;

/**
 * Where candidates differ: the generator is deterministic, so candidate {@code k} sees the garment
 * moved by {@link #OFFSETS}{@code [k]} canvas pixels, and its sketch is moved back by the same
 * amount so all candidates line up. The convolutions (stride 2) are not shift-equivariant, so each
 * offset draws different strokes; candidate 0 is the plain sketch. Stateless.
 */
public final class Jitter {
    /** (dx, dy) per candidate. */
    public static final List<int[]> OFFSETS = List.of(
            new int[] {0, 0}, new int[] {1, 0}, new int[] {0, 1}, new int[] {-1, 0}, new int[] {0, -1}, new int[] {1, 1
            });

    private Jitter() {}

    public static int max() {
        return OFFSETS.size();
    }

    /** How candidate {@code k} differs, for the history: {@code plain} or {@code shift +1,0}. */
    public static String describe(int k) {
        int[] o = OFFSETS.get(k);
        return k == 0 ? "plain" : String.format("shift %+d,%+d", o[0], o[1]);
    }

    /** {@code img} (canvas, row-major) moved by (dx, dy), uncovered pixels set to {@code fill}. */
    public static float[] shift(float[] img, int dx, int dy, float fill) {
        int side = Canvas.SIDE;
        float[] out = new float[img.length];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int sx = x - dx;
                int sy = y - dy;
                out[y * side + x] = sx >= 0 && sx < side && sy >= 0 && sy < side ? img[sy * side + sx] : fill;
            }
        }
        return out;
    }

    /** The garment of candidate {@code k} (black ground fills the uncovered border). */
    public static float[] input(float[] garment, int k) {
        int[] o = OFFSETS.get(k);
        return shift(garment, o[0], o[1], 0f);
    }

    /** The sketch of candidate {@code k} moved back; the border gets the sketch's own paper value. */
    public static float[] output(float[] sketch, int k) {
        int[] o = OFFSETS.get(k);
        return shift(sketch, -o[0], -o[1], paper(sketch));
    }

    /** Median of the outermost ring: the paper. */
    static float paper(float[] img) {
        int side = Canvas.SIDE;
        float[] ring = new float[4 * side - 4];
        int n = 0;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                if (y == 0 || x == 0 || y == side - 1 || x == side - 1) {
                    ring[n++] = img[y * side + x];
                }
            }
        }
        java.util.Arrays.sort(ring);
        return ring[n / 2];
    }
}
