package dev.atelier.sketch.student;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.SketchGan;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a sketch's time goes: teacher and student timed stage by stage on CPU, in one JVM, in the
 * same alternating loop as {@link LatencyBench} (the order swaps every run).
 *
 * <p>Stages of one request ({@code [B,1,N,N]}, N the model's canvas):
 * <pre>
 *   input    Java arrays → input tensor in [-1,1]          ({@link Images#batch})
 *   encoder  frozen encoder, every scale                    (teacher.encode; the student's own or the teacher's)
 *   style    AdaIN_SD with the style card                   (teacher.stylise; the student's scales only)
 *   decoder  teacher MRFM generator / student separable decoder
 *   output   sketch tensor → Java arrays                    (toFloatArray)
 * </pre>
 * DJL's PyTorch engine runs eagerly on the CPU, so each stage has finished when its call returns
 * (every stage's result is touched before the clock stops). Each stage is reported as the median
 * over runs per sketch; {@code total} is the median of the per-run sums, i.e. end to end. Not
 * thread-safe (uses the models).
 */
public final class StageLatency {
    /** Stage names in pipeline order. */
    public static final List<String> STAGES = List.of("input", "encoder", "style", "decoder", "output");

    private StageLatency() {}

    /**
     * Median milliseconds per sketch of each stage, and end to end.
     *
     * @param stages {@link #STAGES} → median ms per sketch
     * @param totalMs median of the runs' summed stages, per sketch
     * @param bestMs fastest run's summed stages, per sketch (least disturbed by other load)
     */
    public record Breakdown(Map<String, Double> stages, double totalMs, double bestMs) {
        public Breakdown {
            stages = Map.copyOf(stages);
        }

        public double ms(String stage) {
            Double v = stages.get(stage);
            if (v == null) {
                throw new IllegalArgumentException("no stage '" + stage + "' (stages: " + STAGES + ")");
            }
            return v;
        }
    }

    /**
     * Teacher and student side by side.
     *
     * @param batch the batch size
     * @param teacher the teacher's breakdown
     * @param student the student's breakdown
     */
    public record Comparison(int canvas, int batch, Breakdown teacher, Breakdown student, int runs) {
        /** End-to-end teacher time over student time (medians). */
        public double speedup() {
            return teacher.totalMs() / student.totalMs();
        }

        /** The same for the fastest runs. */
        public double bestSpeedup() {
            return teacher.bestMs() / student.bestMs();
        }
    }

    /**
     * @param garments one batch on the teacher's canvas (its size is the batch size)
     * @param warmup untimed runs of each model first
     * @param runs timed runs of each model
     */
    public static Comparison measure(SketchStudent student, List<float[]> garments, int warmup, int runs) {
        if (warmup < 0 || runs < 1 || garments.isEmpty()) {
            throw new IllegalArgumentException("need warmup >= 0, runs >= 1 and a garment, got " + warmup + ", " + runs
                    + " and " + garments.size() + " garments");
        }
        SketchGan teacher = student.teacher();
        int n = garments.size();
        long[][] t = new long[runs][];
        long[][] s = new long[runs][];
        for (int i = 0; i < warmup + runs; i++) {
            boolean teacherFirst = i % 2 == 0;
            long[] a = teacherFirst ? teacherRun(teacher, garments) : studentRun(student, garments);
            long[] b = teacherFirst ? studentRun(student, garments) : teacherRun(teacher, garments);
            if (i >= warmup) {
                t[i - warmup] = teacherFirst ? a : b;
                s[i - warmup] = teacherFirst ? b : a;
            }
        }
        return new Comparison(teacher.config().canvas(), n, breakdown(t, n), breakdown(s, n), runs);
    }

    private static long[] teacherRun(SketchGan teacher, List<float[]> garments) {
        return run(
                teacher,
                garments,
                teacher::encode,
                teacher::stylise,
                st -> teacher.generator().forward(teacher.store(), st, false).head());
    }

    private static long[] studentRun(SketchStudent student, List<float[]> garments) {
        return run(
                student.teacher(),
                garments,
                student::encode,
                student::stylise,
                st -> student.decode(st, false).sketch());
    }

    private static long[] run(
            SketchGan teacher,
            List<float[]> garments,
            java.util.function.Function<NDArray, NDList> enc,
            java.util.function.UnaryOperator<NDList> style,
            java.util.function.Function<NDList, NDArray> dec) {
        int[] idx = new int[garments.size()];
        Arrays.setAll(idx, i -> i);
        long[] ns = new long[STAGES.size()];
        try (NDManager sm = teacher.manager().newSubManager()) {
            long t0 = System.nanoTime();
            NDArray x = Images.batch(sm, garments, idx);
            long t1 = System.nanoTime();
            NDList features = enc.apply(x);
            touch(features);
            long t2 = System.nanoTime();
            NDList stylised = style.apply(features);
            touch(stylised);
            long t3 = System.nanoTime();
            NDArray sketch = dec.apply(stylised);
            touch(new NDList(sketch));
            long t4 = System.nanoTime();
            float[] out = sketch.toFloatArray();
            long t5 = System.nanoTime();
            if (out.length == 0) {
                throw new IllegalStateException("model produced an empty output");
            }
            ns[0] = t1 - t0;
            ns[1] = t2 - t1;
            ns[2] = t3 - t2;
            ns[3] = t4 - t3;
            ns[4] = t5 - t4;
        }
        return ns;
    }

    /** Reads one value of each array, so an engine that ran lazily would have to finish here. */
    private static void touch(NDList arrays) {
        for (NDArray a : arrays) {
            a.getFloat(new long[a.getShape().dimension()]);
        }
    }

    static Breakdown breakdown(long[][] runs, int batch) {
        Map<String, Double> stages = new LinkedHashMap<>();
        long[] totals = new long[runs.length];
        for (int k = 0; k < STAGES.size(); k++) {
            long[] v = new long[runs.length];
            for (int r = 0; r < runs.length; r++) {
                v[r] = runs[r][k];
                totals[r] += runs[r][k];
            }
            stages.put(STAGES.get(k), LatencyBench.medianMs(v) / batch);
        }
        long best = Arrays.stream(totals).min().orElseThrow();
        return new Breakdown(stages, LatencyBench.medianMs(totals) / batch, best / 1e6 / batch);
    }
}
