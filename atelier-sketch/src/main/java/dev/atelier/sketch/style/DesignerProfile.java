package dev.atelier.sketch.style;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * One federation node's designer: who they are, how they draw, and what their private data looks like.
 *
 * @param name       unique, human-readable id, e.g. {@code "ada-contour"}
 * @param style      a {@link Styles} name, e.g. {@code "contour"}
 * @param garmentMix 10 probabilities indexed by Fashion-MNIST label (0 = T-shirt/top … 9 = Ankle boot),
 *                   each ≥ 0, summing to 1 ± {@value #MIX_TOLERANCE}; defensively copied
 * @param trainPairs number of (garment, sketch) training pairs the designer holds, ≥ 0
 * @throws IllegalArgumentException with a one-line message that starts with the offending field name
 */
public record DesignerProfile(String name, String style, double[] garmentMix, int trainPairs) {

    /** Number of Fashion-MNIST garment categories. */
    public static final int CATEGORIES = 10;
    /** Allowed deviation of the mix's sum from 1. */
    public static final double MIX_TOLERANCE = 1e-6;

    public DesignerProfile {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must be a non-empty string");
        }
        if (style == null) {
            throw new IllegalArgumentException("style is missing");
        }
        if (!Styles.names().contains(style)) {
            throw new IllegalArgumentException(
                    "style '" + style + "' is unknown (known: " + String.join(", ", Styles.names()) + ")");
        }
        if (garmentMix == null || garmentMix.length != CATEGORIES) {
            throw new IllegalArgumentException("garmentMix must have " + CATEGORIES + " entries, got "
                    + (garmentMix == null ? "none" : garmentMix.length));
        }
        double sum = 0;
        for (int c = 0; c < CATEGORIES; c++) {
            if (!(garmentMix[c] >= 0) || Double.isInfinite(garmentMix[c])) {
                throw new IllegalArgumentException(
                        "garmentMix[" + c + "] must be a finite probability >= 0, got " + garmentMix[c]);
            }
            sum += garmentMix[c];
        }
        if (Math.abs(sum - 1) > MIX_TOLERANCE) {
            throw new IllegalArgumentException("garmentMix sums to " + sum + ", must be 1 ± " + MIX_TOLERANCE);
        }
        if (trainPairs < 0) {
            throw new IllegalArgumentException("trainPairs must be >= 0, got " + trainPairs);
        }
        garmentMix = garmentMix.clone();
    }

    /** A copy of the category probabilities (index = Fashion-MNIST label). */
    @Override
    public double[] garmentMix() {
        return garmentMix.clone();
    }

    /** Probability of one category (Fashion-MNIST label 0..9). */
    public double share(int category) {
        return garmentMix[category];
    }

    /** The style registry entry this designer draws with. */
    public Styles sketchStyle() {
        return Styles.byName(style);
    }

    /** The {@code k} most frequent categories, most frequent first (ties: lower label first). */
    public int[] topCategories(int k) {
        return IntStream.range(0, CATEGORIES)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer c) -> -garmentMix[c])
                        .thenComparing(c -> c))
                .limit(k)
                .mapToInt(Integer::intValue)
                .toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DesignerProfile p
                && name.equals(p.name)
                && style.equals(p.style)
                && trainPairs == p.trainPairs
                && Arrays.equals(garmentMix, p.garmentMix);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * name.hashCode() + style.hashCode()) + Arrays.hashCode(garmentMix)) + trainPairs;
    }

    @Override
    public String toString() {
        return "DesignerProfile[name=" + name + ", style=" + style + ", garmentMix=" + Arrays.toString(garmentMix)
                + ", trainPairs=" + trainPairs + "]";
    }
}
