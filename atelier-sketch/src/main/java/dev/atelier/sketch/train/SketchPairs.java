package dev.atelier.sketch.train;

import java.util.List;

/**
 * A designer's training data: garment images and sketches in that designer's style.
 *
 * <p>Garments: 28×28 (Fashion-MNIST, zero-padded to 32) or 32×32 row-major floats in [0,1],
 * 0 = background. Sketches: 32×32 row-major floats in [0,1], 1 = paper. When {@code paired},
 * {@code sketches.get(i)} is the drawing of {@code garments.get(i)} (the default designers' data);
 * otherwise the two sets are sampled independently, as FedGAI's code does for unpaired folders, and
 * losses that need a pair (pixel L1, semantic target) fall back as documented in the trainer.
 */
public record SketchPairs(List<float[]> garments, List<float[]> sketches, boolean paired) {
    public SketchPairs {
        garments = List.copyOf(garments);
        sketches = List.copyOf(sketches);
        if (garments.isEmpty() || sketches.isEmpty()) {
            throw new IllegalArgumentException(
                    "need at least one garment and one sketch, got " + garments.size() + " and " + sketches.size());
        }
        if (paired && garments.size() != sketches.size()) {
            throw new IllegalArgumentException("paired data needs as many garments as sketches, got " + garments.size()
                    + " and " + sketches.size());
        }
        for (int i = 0; i < garments.size(); i++) {
            int n = garments.get(i).length;
            if (n != 28 * 28 && n != 32 * 32) {
                throw new IllegalArgumentException(
                        "garment " + i + " has " + n + " pixels, expected 784 (28x28) or 1024 (32x32)");
            }
        }
        for (int i = 0; i < sketches.size(); i++) {
            if (sketches.get(i).length != 32 * 32) {
                throw new IllegalArgumentException(
                        "sketch " + i + " has " + sketches.get(i).length + " pixels, expected 1024 (32x32)");
            }
        }
    }

    /** Paired data: {@code sketches.get(i)} draws {@code garments.get(i)}. */
    public static SketchPairs paired(List<float[]> garments, List<float[]> sketches) {
        return new SketchPairs(garments, sketches, true);
    }

    /** Number of examples (the weight of this designer in example-weighted FedAvg). */
    public int size() {
        return Math.max(garments.size(), sketches.size());
    }
}
