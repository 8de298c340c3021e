package dev.atelier.sketch.student;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.Arrays;
import java.util.Map;

/**
 * Starts a student's decoder from its teacher's weights instead of random ones, where the shapes
 * allow. The student's decoder has the teacher's structure and child names ({@code bottom},
 * {@code block<s>.down|conv|fuse}, {@code out}), so with the teacher's widths (width and down
 * divisor 2, {@link StudentConfig}) every tensor has a counterpart:
 * <ul>
 *   <li>1×1 convolutions, BatchNorm (γ, β and running statistics) and the skip weights α have the
 *       same name and shape and are copied;</li>
 *   <li>a teacher 3×3 conv {@code W [F,C,3,3]} becomes the separable pair that is closest to it in
 *       the least-squares sense: per input channel c, the {@code F×9} matrix {@code W[:,c]} is
 *       replaced by its best rank-1 approximation {@code σ u vᵀ} (top singular pair, by power
 *       iteration), so {@code dw[c] = √σ v} and {@code pw[:,c] = √σ u}; the pointwise bias is the
 *       teacher conv's bias (0 when it has none). A conv to one channel (the sketch's {@code out})
 *       is rank 1 already and is copied exactly.</li>
 * </ul>
 * Tensors without a counterpart of the same shape (other widths, the sub-pixel head) keep their
 * random initialisation. Deterministic; the teacher is only read.
 */
public final class TeacherInit {
    private static final int POWER_ITERATIONS = 50;

    private TeacherInit() {}

    /**
     * What was initialised.
     *
     * @param copied     tensors copied unchanged
     * @param factorised teacher 3×3 convs turned into a depthwise + pointwise pair
     * @param kept       student tensors left at their random initialisation
     * @param energy     share of the factorised teacher weights' squared norm that the rank-1 pairs
     *                   keep (1 = exact), over all factorised convs together; NaN if none
     */
    public record Report(int copied, int factorised, int kept, double energy) {}

    /** Overwrites the student's decoder weights with the teacher's (see the class comment). */
    public static Report apply(SketchStudent student) {
        Map<String, Parameter> teacher = student.teacher().generatorParameters();
        Map<String, Parameter> mine = student.parameters();
        String tp = dev.atelier.sketch.model.SketchGan.GEN + ".";
        String sp = SketchStudent.PREFIX + ".";
        int copied = 0;
        int factorised = 0;
        int kept = 0;
        double kept2 = 0;
        double total2 = 0;
        java.util.Set<String> done = new java.util.HashSet<>();
        for (var e : mine.entrySet()) {
            String name = e.getKey();
            if (done.contains(name)) {
                continue;
            }
            String rel = name.substring(sp.length());
            NDArray dst = e.getValue().getArray();
            Parameter same = teacher.get(tp + rel);
            if (same != null
                    && Arrays.equals(
                            same.getArray().getShape().getShape(),
                            dst.getShape().getShape())) {
                dst.set(same.getArray().toFloatArray());
                copied++;
                done.add(name);
                continue;
            }
            if (rel.endsWith(".dw.weight")) {
                String base = rel.substring(0, rel.length() - ".dw.weight".length());
                Parameter full = teacher.get(tp + base + ".weight");
                Parameter pw = mine.get(sp + base + ".pw.weight");
                Parameter pwBias = mine.get(sp + base + ".pw.bias");
                if (full != null && pw != null && fits(full.getArray(), dst, pw.getArray())) {
                    double[] energy = factorise(full.getArray(), dst, pw.getArray());
                    kept2 += energy[0];
                    total2 += energy[1];
                    done.add(name);
                    done.add(sp + base + ".pw.weight");
                    if (pwBias != null) {
                        Parameter tb = teacher.get(tp + base + ".bias");
                        float[] b = tb != null
                                ? tb.getArray().toFloatArray()
                                : new float[(int) pwBias.getArray().size()];
                        if (b.length == pwBias.getArray().size()) {
                            pwBias.getArray().set(b);
                            done.add(sp + base + ".pw.bias");
                        }
                    }
                    factorised++;
                    continue;
                }
            }
        }
        for (String name : mine.keySet()) {
            if (!done.contains(name)) {
                kept++;
            }
        }
        return new Report(copied, factorised, kept, total2 > 0 ? kept2 / total2 : Double.NaN);
    }

    private static boolean fits(NDArray full, NDArray dw, NDArray pw) {
        long[] w = full.getShape().getShape();
        long[] d = dw.getShape().getShape();
        long[] p = pw.getShape().getShape();
        return w.length == 4
                && d.length == 4
                && p.length == 4
                && d[0] == w[1]
                && d[1] == 1
                && d[2] == w[2]
                && d[3] == w[3]
                && p[0] == w[0]
                && p[1] == w[1]
                && p[2] == 1
                && p[3] == 1;
    }

    /** Writes the rank-1 pair of every input channel; returns {kept squared norm, total squared norm}. */
    private static double[] factorise(NDArray full, NDArray dwArr, NDArray pwArr) {
        long[] s = full.getShape().getShape();
        int f = (int) s[0];
        int c = (int) s[1];
        int k = (int) (s[2] * s[3]);
        float[] w = full.toFloatArray();
        float[] dw = new float[c * k];
        float[] pw = new float[f * c];
        double kept = 0;
        double total = 0;
        for (int ci = 0; ci < c; ci++) {
            double[][] m = new double[f][k];
            for (int fi = 0; fi < f; fi++) {
                for (int j = 0; j < k; j++) {
                    m[fi][j] = w[(fi * c + ci) * k + j];
                    total += m[fi][j] * m[fi][j];
                }
            }
            double[] v = topRightSingularVector(m, k);
            double[] u = new double[f];
            double sigma = 0;
            for (int fi = 0; fi < f; fi++) {
                for (int j = 0; j < k; j++) {
                    u[fi] += m[fi][j] * v[j];
                }
                sigma += u[fi] * u[fi];
            }
            sigma = Math.sqrt(sigma);
            kept += sigma * sigma;
            double root = Math.sqrt(sigma);
            for (int j = 0; j < k; j++) {
                dw[ci * k + j] = (float) (root * v[j]);
            }
            for (int fi = 0; fi < f; fi++) {
                pw[fi * c + ci] = sigma > 0 ? (float) (u[fi] / sigma * root) : 0f;
            }
        }
        dwArr.set(dw);
        pwArr.set(pw);
        return new double[] {kept, total};
    }

    /** Unit top eigenvector of {@code mᵀm} by power iteration from a fixed start (deterministic). */
    private static double[] topRightSingularVector(double[][] m, int k) {
        double[][] g = new double[k][k];
        for (double[] row : m) {
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    g[a][b] += row[a] * row[b];
                }
            }
        }
        double[] v = new double[k];
        Arrays.fill(v, 1 / Math.sqrt(k));
        // a start orthogonal to the top vector would stall: nudge it off the uniform direction
        v[0] += 0.5;
        double n0 = Math.sqrt(Arrays.stream(v).map(x -> x * x).sum());
        for (int a = 0; a < k; a++) {
            v[a] /= n0;
        }
        for (int it = 0; it < POWER_ITERATIONS; it++) {
            double[] next = new double[k];
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    next[a] += g[a][b] * v[b];
                }
            }
            double n = Math.sqrt(Arrays.stream(next).map(x -> x * x).sum());
            if (n == 0) {
                return v;
            }
            for (int a = 0; a < k; a++) {
                v[a] = next[a] / n;
            }
        }
        return v;
    }
}
