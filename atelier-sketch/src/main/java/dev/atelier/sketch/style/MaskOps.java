package dev.atelier.sketch.style;

/**
 * Binary-mask raster operations shared by the sketch styles: morphology, boundaries, hole filling and
 * line drawing. Masks are row-major {@code boolean[]} of width {@code w} (height = length / w); pixels
 * beyond the border count as background (false). Every method returns a new array unless it is
 * documented to draw in place. Float-image operations live in {@link ImageOps}.
 */
public final class MaskOps {

    private MaskOps() {}

    /** Binary dilation with a (2r+1)×(2r+1) square (Chebyshev radius r). */
    public static boolean[] dilate(boolean[] m, int w, int r) {
        return morph(m, w, r, true);
    }

    /** Binary erosion with a (2r+1)×(2r+1) square; pixels beyond the border count as background. */
    public static boolean[] erode(boolean[] m, int w, int r) {
        return morph(m, w, r, false);
    }

    private static boolean[] morph(boolean[] m, int w, int r, boolean dilate) {
        int h = m.length / w;
        boolean[] out = new boolean[m.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean hit = !dilate;
                for (int dy = -r; dy <= r && hit != dilate; dy++) {
                    for (int dx = -r; dx <= r; dx++) {
                        int xx = x + dx;
                        int yy = y + dy;
                        boolean v = xx >= 0 && yy >= 0 && xx < w && yy < h && m[yy * w + xx];
                        if (v == dilate) {
                            hit = dilate;
                            break;
                        }
                    }
                }
                out[y * w + x] = hit;
            }
        }
        return out;
    }

    /**
     * Inner boundary: mask pixels with at least one 4-neighbour outside the mask. The result is a
     * 1 px wide, 8-connected outline lying on the silhouette itself.
     */
    public static boolean[] innerBoundary(boolean[] m, int w) {
        int h = m.length / w;
        boolean[] out = new boolean[m.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                out[i] = m[i]
                        && (!at(m, w, h, x - 1, y)
                                || !at(m, w, h, x + 1, y)
                                || !at(m, w, h, x, y - 1)
                                || !at(m, w, h, x, y + 1));
            }
        }
        return out;
    }

    private static boolean at(boolean[] m, int w, int h, int x, int y) {
        return x >= 0 && y >= 0 && x < w && y < h && m[y * w + x];
    }

    /**
     * Fills enclosed holes: 4-connected background components that do not touch the image border
     * and have at most {@code maxArea} pixels become foreground. Larger holes (a bag's handle) stay.
     */
    public static boolean[] fillHoles(boolean[] m, int w, int maxArea) {
        int h = m.length / w;
        boolean[] out = m.clone();
        boolean[] seen = new boolean[m.length];
        int[] stack = new int[m.length];
        int[] component = new int[m.length];
        for (int start = 0; start < m.length; start++) {
            if (m[start] || seen[start]) {
                continue;
            }
            int size = 0;
            int top = 0;
            boolean touchesBorder = false;
            stack[top++] = start;
            seen[start] = true;
            while (top > 0) {
                int i = stack[--top];
                component[size++] = i;
                int x = i % w;
                int y = i / w;
                touchesBorder |= x == 0 || y == 0 || x == w - 1 || y == h - 1;
                int[] next = {x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1};
                for (int j : next) {
                    if (j >= 0 && !m[j] && !seen[j]) {
                        seen[j] = true;
                        stack[top++] = j;
                    }
                }
            }
            if (!touchesBorder && size <= maxArea) {
                for (int k = 0; k < size; k++) {
                    out[component[k]] = true;
                }
            }
        }
        return out;
    }

    /** Pixel-wise {@code a && !b}. */
    public static boolean[] minus(boolean[] a, boolean[] b) {
        boolean[] out = new boolean[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] && !b[i];
        }
        return out;
    }

    /** Number of true pixels. */
    public static int count(boolean[] m) {
        int n = 0;
        for (boolean b : m) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** Draws a 1 px Bresenham line into the mask, in place; parts outside the image are clipped. */
    public static void drawLine(boolean[] m, int w, int x0, int y0, int x1, int y1) {
        int h = m.length / w;
        int dx = Math.abs(x1 - x0);
        int dy = -Math.abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1;
        int sy = y0 < y1 ? 1 : -1;
        int err = dx + dy;
        int x = x0;
        int y = y0;
        while (true) {
            if (x >= 0 && y >= 0 && x < w && y < h) {
                m[y * w + x] = true;
            }
            if (x == x1 && y == y1) {
                return;
            }
            int e2 = 2 * err;
            if (e2 >= dy) {
                err += dy;
                x += sx;
            }
            if (e2 <= dx) {
                err += dx;
                y += sy;
            }
        }
    }
}
