package dev.atelier.sketch.train;

import java.util.List;

/**
 * A designer's training data: garment images and sketches in that designer's style.
 *
 * <p>Garments: 28×28 (Fashion-MNIST, zero-padded to 32) or N×N row-major floats in [0,1],
 * 0 = background. Sketches: N×N row-major floats in [0,1], 1 = paper. N is the model's canvas
 * (32 by default, e.g. 128 for a designer's photos), the same for every image. When {@code paired},
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
        int canvas = sketches.get(0).length;
        int side = (int) Math.round(Math.sqrt(canvas));
        if (side * side != canvas || side < 32) {
            throw new IllegalArgumentException(
                    "sketch 0 has " + canvas + " pixels, expected a square canvas of at least 32x32 (1024)");
        }
        for (int i = 0; i < garments.size(); i++) {
            int n = garments.get(i).length;
            if (n != canvas && !(canvas == 32 * 32 && n == 28 * 28)) {
                throw new IllegalArgumentException("garment " + i + " has " + n + " pixels, expected " + canvas + " ("
                        + side + "x" + side + (canvas == 32 * 32 ? ") or 784 (28x28)" : ")"));
            }
        }
        for (int i = 0; i < sketches.size(); i++) {
            if (sketches.get(i).length != canvas) {
                throw new IllegalArgumentException("sketch " + i + " has " + sketches.get(i).length
                        + " pixels, expected " + canvas + " (" + side + "x" + side + ")");
            }
        }
    }

    /** Side of the canvas the sketches are on (32 for Fashion-MNIST data). */
    public int canvas() {
        return (int) Math.round(Math.sqrt(sketches.get(0).length));
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
