/**
 * Data sets for Atelier: the Fashion-MNIST reader and its source resolution/download, a small
 * committed fixture, the public/private/test splits, federated partitioners (IID, Dirichlet, label
 * shards, unequal sizes) and a loader for user image folders.
 *
 * <p>Everything here is plain Java (no DJL): images are 8-bit grayscale held as {@code byte[]} and
 * handed out as {@code float[]} in [0, 1], row-major {@code [height][width]}. See {@code docs/data.md}
 * for the on-disk layout, the split conventions and the partition schemes.
 */
package dev.atelier.ml.data;
