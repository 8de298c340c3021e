package dev.atelier.sketch.demo;

import dev.atelier.ml.data.ImageDataset;
import dev.atelier.sketch.style.Styles;
import java.util.ArrayList;
import java.util.List;

/**
 * Held-out evaluation garments: the first {@code perCategory} test images of each of the 10
 * categories (so every designer is scored on categories they never saw too), with each style's
 * reference rendering of them.
 *
 * @param garments 28×28 test garments in [0,1]
 * @param labels   their categories
 */
public record HeldOut(List<float[]> garments, int[] labels) {
    public HeldOut {
        garments = List.copyOf(garments);
    }

    public static HeldOut select(ImageDataset test, int perCategory) {
        List<float[]> g = new ArrayList<>();
        List<Integer> l = new ArrayList<>();
        int[] taken = new int[10];
        for (int i = 0; i < test.size(); i++) {
            int c = test.label(i);
            if (taken[c] < perCategory) {
                taken[c]++;
                g.add(test.image(i));
                l.add(c);
            }
        }
        for (int c = 0; c < 10; c++) {
            if (taken[c] < perCategory) {
                throw new IllegalArgumentException(
                        "the test set has only " + taken[c] + " images of category " + c + ", need " + perCategory);
            }
        }
        return new HeldOut(g, l.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Reference sketches of every held-out garment in {@code style}. */
    public List<float[]> references(Styles style) {
        return garments.stream().map(style::render).toList();
    }

    public int size() {
        return garments.size();
    }
}
