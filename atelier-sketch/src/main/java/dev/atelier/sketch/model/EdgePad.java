package dev.atelier.sketch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * Edge-replication padding and the matching crop for {@code [B, C, H, W]} tensors, built from
 * slices and concatenations so gradients flow through it (the trainer encodes generated sketches
 * with gradient). DJL's own padding is constant-valued only. Stateless.
 */
final class EdgePad {
    private EdgePad() {}

    /** {@code x} with its outermost rows and columns repeated {@code m} times on each side: {@code [B, C, H+2m, W+2m]}. */
    static NDArray replicate(NDArray x, int m) {
        if (m == 0) {
            return x;
        }
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDArray rows = NDArrays.concat(
                new NDList(
                        x.get(":, :, 0:1, :").repeat(2, m),
                        x,
                        x.get(":, :, " + (h - 1) + ":" + h + ", :").repeat(2, m)),
                2);
        return NDArrays.concat(
                new NDList(
                        rows.get(":, :, :, 0:1").repeat(3, m),
                        rows,
                        rows.get(":, :, :, " + (w - 1) + ":" + w).repeat(3, m)),
                3);
    }

    /** {@code x} without {@code m} rows and columns on each side. */
    static NDArray crop(NDArray x, int m) {
        if (m == 0) {
            return x;
        }
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        return x.get(":, :, " + m + ":" + (h - m) + ", " + m + ":" + (w - m));
    }
}
