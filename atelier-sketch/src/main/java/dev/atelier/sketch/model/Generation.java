package dev.atelier.sketch.model;

import ai.djl.ndarray.NDManager;
import dev.atelier.ml.nn.Images;
import java.util.Arrays;
import java.util.List;

/** Batched inference-mode generation from Java arrays. */
final class Generation {
    private static final int BATCH = 64;

    private Generation() {}

    static float[][] run(SketchGan gan, float[][] garments) {
        List<float[]> inputs = Arrays.asList(garments);
        float[][] out = new float[garments.length][];
        for (int start = 0; start < garments.length; start += BATCH) {
            int n = Math.min(BATCH, garments.length - start);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = start + i;
            }
            try (NDManager sm = gan.manager().newSubManager()) {
                float[][] batch = Images.fromBatch(gan.generate(Images.batch(sm, inputs, idx), false));
                System.arraycopy(batch, 0, out, start, n);
            }
        }
        return out;
    }
}
