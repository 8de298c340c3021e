package dev.atelier.sketch.student;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.atelier.ml.nn.layers.AdaIN;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.StyleCard;
import java.util.Arrays;

/**
 * AdaIN_SD for a student that skips the teacher's finest {@code skipped} scales (the sub-pixel
 * student): the same {@link AdaIN} as {@link SketchGan#stylise}, with the teacher's current style
 * card entries of scales {@code skipped+1..K}. The card's arrays are copied into {@code manager}
 * whenever the teacher's card object changes (e.g. after a {@code --blend}), so a blended card
 * reaches the student as it reaches the teacher. Owns those copies ({@link #close()}); not
 * thread-safe.
 */
final class CoarseStyle implements AutoCloseable {
    private final SketchGan teacher;
    private final int skipped;
    private final NDManager manager;
    private StyleCard card;
    private NDArray[] means;
    private NDArray[] stds;

    CoarseStyle(SketchGan teacher, int skipped, NDManager manager) {
        this.teacher = teacher;
        this.skipped = skipped;
        this.manager = manager;
    }

    /** Stylised features of the student's scales (finest first), one per card scale from {@code skipped}. */
    NDList apply(NDList features) {
        StyleCard current = teacher.styleCard();
        if (current == null) {
            throw new IllegalStateException("the teacher has no style card: set one before generating");
        }
        if (current != card) {
            close();
            means = new NDArray[current.scales() - skipped];
            stds = new NDArray[means.length];
            for (int s = 0; s < means.length; s++) {
                means[s] = manager.create(current.mean(s + skipped));
                stds[s] = manager.create(current.std(s + skipped));
            }
            card = current;
        }
        if (features.size() != means.length) {
            throw new IllegalArgumentException("expected " + means.length + " feature scales, got " + features.size());
        }
        NDList out = new NDList(features.size());
        for (int s = 0; s < features.size(); s++) {
            out.add(AdaIN.apply(features.get(s), means[s], stds[s]));
        }
        return out;
    }

    @Override
    public void close() {
        if (means != null) {
            Arrays.stream(means).forEach(NDArray::close);
            Arrays.stream(stds).forEach(NDArray::close);
            means = null;
            stds = null;
            card = null;
        }
    }
}
