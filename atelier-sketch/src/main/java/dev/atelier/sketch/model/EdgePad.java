package dev.atelier.sketch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Edge-replication padding for {@code [B, C, H, W]} tensors, differentiable (the trainer encodes
 * generated sketches with gradient). DJL's own padding is constant-valued only, so this is one
 * advanced-indexing gather: row indices {@code clamp(i − m, 0, H−1)} as a column {@code [H+2m, 1]}
 * and column indices {@code clamp(j − m, 0, W−1)} as a row {@code [W+2m]} broadcast to the padded
 * map in a single op, whose backward is a single scatter-add. It replaced slices, repeats and
 * concatenations (ten ops per pad in forward and backward): encoding a batch of 8 with gradient
 * went from 1.8× to 1.0–1.4× the CPU time of the zero-padded original (two side-by-side runs,
 * docs/demo.md "GAN step profile"). Stateless.
 */
final class EdgePad {
    private EdgePad() {}

    /** {@code x} with its outermost rows and columns repeated {@code m} times on each side: {@code [B, C, H+2m, W+2m]}. */
    static NDArray replicate(NDArray x, int m) {
        if (m < 0) {
            throw new IllegalArgumentException("edge padding must be >= 0, got " + m);
        }
        if (m == 0) {
            return x;
        }
        Shape s = x.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("edge padding needs [B, C, H, W], got " + s);
        }
        NDManager manager = x.getManager();
        long h = s.get(2);
        long w = s.get(3);
        NDArray rows = manager.create(clampedRange(h, m), new Shape(h + 2 * m, 1));
        NDArray cols = manager.create(clampedRange(w, m));
        return x.get(new NDIndex(":, :, {}, {}", rows, cols));
    }

    /** {@code clamp(i − m, 0, n − 1)} for {@code i = 0 .. n+2m−1}. */
    private static long[] clampedRange(long n, int m) {
        long[] v = new long[Math.toIntExact(n + 2L * m)];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.min(n - 1, Math.max(0, i - m));
        }
        return v;
    }
}
