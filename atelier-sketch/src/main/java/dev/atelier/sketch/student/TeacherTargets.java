package dev.atelier.sketch.student;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.DecoderOutputs;
import dev.atelier.sketch.model.GramMatrix;
import dev.atelier.sketch.model.SketchGan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the frozen teacher says about each distillation garment, computed once instead of at every
 * step: the student decoder's input (the stylised features of the student's scales, from the
 * teacher's encoder or the student's own frozen one), the teacher decoder's per-scale outputs
 * (coarsest first), its sketch and, when the Gram term is on, the Gram matrices of the teacher's
 * sketch in the teacher's encoder space. All of them are functions of the garment alone (the teacher
 * and any own encoder run in inference mode and do not change while the decoder is distilled), so a
 * step only has to run the student and the encoder pass of the student's sketch.
 *
 * <p>Kept as one Java {@code float[]} per garment and tensor (not on the native heap), gathered into
 * a batch per step. {@link #fits} bounds the memory: about 70 k floats per garment at 32 px (the
 * default encoder), 1.9 M at 256 px. Built in batches of 64 in inference mode. Immutable after
 * construction; not thread-safe to build.
 */
final class TeacherTargets {
    /** Cache only up to this many floats (128 MiB). */
    static final long MAX_FLOATS = 32L << 20;

    private static final int BUILD_BATCH = 64;

    private final int inputs;
    private final int features;
    private final long[][] shapes;
    private final float[][][] perGarment; // [garment][tensor][values]

    private TeacherTargets(int inputs, int features, long[][] shapes, float[][][] perGarment) {
        this.inputs = inputs;
        this.features = features;
        this.shapes = shapes;
        this.perGarment = perGarment;
    }

    /** Whether the targets of {@code garments} garments fit {@link #MAX_FLOATS}. */
    static boolean fits(SketchStudent student, int garments, boolean gram) {
        return (long) garments * floatsPerGarment(student, gram) <= MAX_FLOATS;
    }

    static long floatsPerGarment(SketchStudent student, boolean gram) {
        SketchGan teacher = student.teacher();
        int[] ch = teacher.encoder().channels();
        int[] sizes = teacher.encoder().sizes(teacher.config().canvas());
        int[] tw = teacher.generator().widths();
        long n = (long) teacher.config().canvas() * teacher.config().canvas();
        for (int s = 0; s < ch.length; s++) {
            long hw = (long) sizes[s] * sizes[s];
            n += (s >= student.skippedScales() ? ch[s] * hw : 0) + tw[s] * hw + (gram ? (long) ch[s] * ch[s] : 0);
        }
        return n;
    }

    /** Runs the teacher (and the student's own encoder) over every garment once. */
    static TeacherTargets build(SketchStudent student, List<float[]> garments, boolean gram) {
        SketchGan teacher = student.teacher();
        float[][][] per = new float[garments.size()][][];
        long[][] shapes = null;
        int inputs = 0;
        int features = 0;
        for (int start = 0; start < garments.size(); start += BUILD_BATCH) {
            int n = Math.min(BUILD_BATCH, garments.size() - start);
            int[] idx = new int[n];
            Arrays.setAll(idx, i -> i);
            try (NDManager sm = student.manager().newSubManager()) {
                NDArray x = Images.batch(sm, garments.subList(start, start + n), idx);
                NDList stylised = teacher.stylise(teacher.encode(x));
                DecoderOutputs target = teacher.generator().decode(teacher.store(), stylised, false);
                NDList in = student.hasOwnEncoder()
                        ? student.stylise(student.encode(x))
                        : student.fromTeacherScales(stylised);
                List<NDArray> all = new ArrayList<>(in);
                all.addAll(target.features());
                all.add(target.sketch());
                if (gram) {
                    all.addAll(GramMatrix.ofAll(teacher.encode(target.sketch())));
                }
                if (shapes == null) {
                    inputs = in.size();
                    features = target.features().size();
                    shapes = new long[all.size()][];
                    for (int t = 0; t < all.size(); t++) {
                        shapes[t] = all.get(t).getShape().slice(1).getShape();
                    }
                }
                for (int t = 0; t < all.size(); t++) {
                    float[] v = all.get(t).toFloatArray();
                    int per1 = v.length / n;
                    for (int i = 0; i < n; i++) {
                        if (per[start + i] == null) {
                            per[start + i] = new float[shapes.length][];
                        }
                        per[start + i][t] = Arrays.copyOfRange(v, i * per1, (i + 1) * per1);
                    }
                }
            }
        }
        return new TeacherTargets(inputs, features, shapes, per);
    }

    /**
     * One step's batch, in {@code manager}.
     *
     * @param idx garment indices (into the list the targets were built from)
     */
    Batch batch(NDManager manager, int[] idx) {
        List<NDArray> t = new ArrayList<>(shapes.length);
        for (int k = 0; k < shapes.length; k++) {
            int per = perGarment[idx[0]][k].length;
            float[] buf = new float[per * idx.length];
            for (int i = 0; i < idx.length; i++) {
                System.arraycopy(perGarment[idx[i]][k], 0, buf, i * per, per);
            }
            long[] shape = new long[shapes[k].length + 1];
            shape[0] = idx.length;
            System.arraycopy(shapes[k], 0, shape, 1, shapes[k].length);
            t.add(manager.create(buf, new Shape(shape)));
        }
        NDList in = new NDList(t.subList(0, inputs).toArray(NDArray[]::new));
        DecoderOutputs target = new DecoderOutputs(t.subList(inputs, inputs + features), t.get(inputs + features));
        List<NDArray> gram = t.subList(inputs + features + 1, t.size());
        return new Batch(in, target, gram.isEmpty() ? null : List.copyOf(gram));
    }

    /**
     * @param studentInput the student decoder's stylised input
     * @param target the teacher decoder's outputs
     * @param teacherGram Gram matrices of the teacher's sketch per scale, or null without the Gram term
     */
    record Batch(NDList studentInput, DecoderOutputs target, List<NDArray> teacherGram) {}
}
