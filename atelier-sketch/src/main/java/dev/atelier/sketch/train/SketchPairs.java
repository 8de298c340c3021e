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
 *
 * <p>Paired data may also carry {@code unsketched} garments: garments of hers she has no sketch of.
 * The generator draws them in training steps beside her pairs (her pairs fill at least half of every
 * batch), learning from the terms that need no pair (critic, Gram, semantic, content, ink); the
 * pixel terms only see her pairs. This is the designer with a few sketches and many garments, where
 * a critic shared by the federation has something to teach. Everything else (her tone curve, her
 * held-out split, the critic's DP-SGD records) uses her pairs only.
 */
public record SketchPairs(List<float[]> garments, List<float[]> sketches, boolean paired, List<float[]> unsketched) {
    public SketchPairs {
        garments = List.copyOf(garments);
        sketches = List.copyOf(sketches);
        unsketched = List.copyOf(unsketched);
        if (!paired && !unsketched.isEmpty()) {
            throw new IllegalArgumentException("unpaired data has no sketch to miss: put its " + unsketched.size()
                    + " unsketched garments with the others");
        }
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
        checkGarments("garment", garments, canvas, side);
        checkGarments("unsketched garment", unsketched, canvas, side);
        for (int i = 0; i < sketches.size(); i++) {
            if (sketches.get(i).length != canvas) {
                throw new IllegalArgumentException("sketch " + i + " has " + sketches.get(i).length
                        + " pixels, expected " + canvas + " (" + side + "x" + side + ")");
            }
        }
    }

    /** Data without unsketched garments (what every existing caller builds). */
    public SketchPairs(List<float[]> garments, List<float[]> sketches, boolean paired) {
        this(garments, sketches, paired, List.of());
    }

    private static void checkGarments(String what, List<float[]> garments, int canvas, int side) {
        for (int i = 0; i < garments.size(); i++) {
            int n = garments.get(i).length;
            if (n != canvas && !(canvas == 32 * 32 && n == 28 * 28)) {
                throw new IllegalArgumentException(what + " " + i + " has " + n + " pixels, expected " + canvas + " ("
                        + side + "x" + side + (canvas == 32 * 32 ? ") or 784 (28x28)" : ")"));
            }
        }
    }

    /** The same pairs with {@code extra} garments she has no sketch of (see the class comment). */
    public SketchPairs withUnsketched(List<float[]> extra) {
        return new SketchPairs(garments, sketches, paired, extra);
    }

    /**
     * The garments a training step draws from: her paired garments first (index {@code i} is
     * sketched by {@code sketches().get(i)} when paired), then her unsketched ones.
     */
    public List<float[]> trainingGarments() {
        if (unsketched.isEmpty()) {
            return garments;
        }
        List<float[]> all = new java.util.ArrayList<>(garments.size() + unsketched.size());
        all.addAll(garments);
        all.addAll(unsketched);
        return List.copyOf(all);
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
