package dev.atelier.sketch.eval;

import dev.atelier.ml.data.ImageDataset;
import dev.atelier.sketch.style.Styles;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Reference renderings of garments in every style, with both labels: the evaluator's training and
 * test data. Entry {@code k = g · S + s} is garment {@code g} rendered in style {@code s} (S styles).
 *
 * @param sketches 32×32 sketches in [0,1] (1 = paper)
 * @param styles   style index of each sketch (ordinal in {@link Styles})
 * @param garments garment category (0..9) of each sketch
 */
public record StyledSketches(List<float[]> sketches, int[] styles, int[] garments) {
    public StyledSketches {
        if (sketches.size() != styles.length || sketches.size() != garments.length) {
            throw new IllegalArgumentException("sketches, style labels and garment labels differ in length: "
                    + sketches.size() + ", " + styles.length + ", " + garments.length);
        }
        sketches = List.copyOf(sketches);
    }

    /**
     * Renders the first {@code limit} images of {@code data} (all if fewer) in every style of
     * {@link Styles}, in parallel (renderers are stateless and deterministic, so the result does not
     * depend on thread scheduling).
     */
    public static StyledSketches render(ImageDataset data, int limit) {
        int n = Math.min(limit, data.size());
        Styles[] all = Styles.values();
        int s = all.length;
        float[][] out = new float[n * s][];
        IntStream.range(0, n * s).parallel().forEach(k -> out[k] = all[k % s].render(data.image(k / s)));
        int[] styles = new int[n * s];
        int[] garments = new int[n * s];
        for (int k = 0; k < n * s; k++) {
            styles[k] = k % s;
            garments[k] = data.label(k / s);
        }
        return new StyledSketches(Arrays.asList(out), styles, garments);
    }

    public int size() {
        return styles.length;
    }
}
