package dev.atelier.sketch.student;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.util.Pair;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGenerator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the teacher's per-scale decoder outputs, which {@link SketchGan#generate} does not expose,
 * by running the public child blocks of its {@link SketchGenerator} in the generator's documented
 * order: {@code d_K = bottom(a_K)}, {@code d_s = block<s>(d_{s+1}, a_s)} for s = K−1 .. 1,
 * {@code sketch = tanh(out(d_1))}. The sketch equals {@code teacher.generate(x, training)} for the
 * same stylised features (a test pins this, so a change of the generator's wiring is caught).
 *
 * <p>The teacher is borrowed, not owned; this class holds no native memory. Not thread-safe.
 */
public final class TeacherTap {
    private final SketchGan teacher;
    private final Block bottom;
    private final List<Block> blocks = new ArrayList<>();
    private final Block out;
    private final int[] widths;

    /** @throws IllegalStateException if the teacher's generator lacks the expected children */
    public TeacherTap(SketchGan teacher) {
        this.teacher = teacher;
        Map<String, Block> children = new HashMap<>();
        for (Pair<String, Block> c : teacher.generator().getChildren()) {
            children.put(c.getKey().replaceFirst("^\\d+", ""), c.getValue());
        }
        int k = teacher.encoder().channels().length;
        bottom = require(children, "bottom");
        for (int s = k - 1; s >= 1; s--) {
            blocks.add(require(children, "block" + s));
        }
        out = require(children, "out");
        if (children.size() != k + 1) {
            throw new IllegalStateException("teacher generator has children " + children.keySet() + ", expected bottom, block1.."
                    + (k - 1) + ", out");
        }
        widths = new int[k];
        int[] ch = teacher.encoder().channels();
        int[] sizes = teacher.encoder().sizes();
        Shape d = bottom.getOutputShapes(new Shape[] {new Shape(1, ch[k - 1], sizes[k - 1], sizes[k - 1])})[0];
        widths[k - 1] = Math.toIntExact(d.get(1));
        for (int i = 0; i < blocks.size(); i++) {
            int s = k - 2 - i;
            d = blocks.get(i).getOutputShapes(new Shape[] {d, new Shape(1, ch[s], sizes[s], sizes[s])})[0];
            widths[s] = Math.toIntExact(d.get(1));
        }
    }

    /** The teacher decoder's width (channels of {@code d_s}) per scale, finest first. */
    public int[] widths() {
        return widths.clone();
    }

    private static Block require(Map<String, Block> children, String name) {
        Block b = children.get(name);
        if (b == null) {
            throw new IllegalStateException("teacher generator has no child '" + name + "' (children " + children.keySet()
                    + "); the student's per-scale distillation depends on SketchGenerator's layout");
        }
        return b;
    }

    /**
     * The teacher decoder's outputs for stylised features ({@code teacher.stylise(teacher.encode(x))}).
     *
     * @param training BatchNorm mode; distillation uses {@code false} (the teacher as deployed)
     */
    public DecoderOutputs decode(NDList stylised, boolean training) {
        int k = stylised.size();
        if (k != blocks.size() + 1) {
            throw new IllegalArgumentException("teacher decoder expects " + (blocks.size() + 1) + " scales, got " + k);
        }
        List<NDArray> features = new ArrayList<>(k);
        NDArray d = bottom.forward(teacher.store(), new NDList(stylised.get(k - 1)), training).singletonOrThrow();
        features.add(d);
        for (int i = 0; i < blocks.size(); i++) {
            d = blocks.get(i).forward(teacher.store(), new NDList(d, stylised.get(k - 2 - i)), training).singletonOrThrow();
            features.add(d);
        }
        NDArray sketch = out.forward(teacher.store(), new NDList(d), training).singletonOrThrow().tanh();
        return new DecoderOutputs(features, sketch);
    }
}
