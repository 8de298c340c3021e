package dev.atelier.sketch.student;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.SketchGan;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Measures {@link Latency}: wall-clock time of generating sketches in inference mode, teacher and
 * student alternately in the same JVM (the order swaps every iteration, so neither model
 * systematically runs on a warmer cache or a quieter moment). Each run uses its own sub-manager.
 * Per-sketch figures are a run's time divided by the batch size. Not thread-safe (uses the models).
 */
public final class LatencyBench {
    /** What one timed run covers. */
    public enum Scope {
        /**
         * A request: input tensor from Java arrays, encoder, AdaIN_SD, decoder, and reading the
         * sketches back ({@code toFloatArray}). The report's {@code generation_ms}.
         */
        END_TO_END,
        /** The decoder alone on precomputed stylised features, plus reading the sketches back. */
        DECODER
    }

    private LatencyBench() {}

    /**
     * The report's figure: end to end, batch 1.
     *
     * @param garment one garment, 28×28 or 32×32 in [0,1]
     * @param warmup  untimed runs per model first (e.g. 10)
     * @param runs    timed runs per model (e.g. 50)
     */
    public static Latency measure(SketchStudent student, float[] garment, int warmup, int runs) {
        return measure(student, List.of(garment), Scope.END_TO_END, warmup, runs);
    }

    /**
     * @param garments one batch (its size is the batch size), 28×28 or 32×32 in [0,1]
     */
    public static Latency measure(SketchStudent student, List<float[]> garments, Scope scope, int warmup, int runs) {
        if (warmup < 0 || runs < 1 || garments.isEmpty()) {
            throw new IllegalArgumentException("need warmup >= 0, runs >= 1 and a garment, got " + warmup + ", " + runs
                    + " and " + garments.size() + " garments");
        }
        SketchGan teacher = student.teacher();
        int[] idx = new int[garments.size()];
        Arrays.setAll(idx, i -> i);
        Timed t = scope == Scope.END_TO_END
                ? () -> endToEnd(teacher.manager(), garments, idx, x -> teacher.generate(x, false))
                : () -> decoderOnly(
                        teacher,
                        garments,
                        idx,
                        st -> teacher.generator()
                                .forward(teacher.store(), st, false)
                                .head());
        Timed s = scope == Scope.END_TO_END
                ? () -> endToEnd(student.manager(), garments, idx, x -> student.generate(x, false))
                : () -> decoderOnly(
                        teacher,
                        garments,
                        idx,
                        st -> student.decode(student.fromTeacherScales(st), false)
                                .sketch());
        return time(t, s, scope, garments.size(), warmup, runs);
    }

    /**
     * The measuring loop, apart from the models so it can be checked with fake timed functions:
     * {@code warmup} untimed calls of each, then {@code runs} timed calls of each, alternating which
     * goes first; medians and minima of the timed calls only, divided by {@code batch}.
     */
    static Latency time(Timed teacher, Timed student, Scope scope, int batch, int warmup, int runs) {
        for (int i = 0; i < warmup; i++) {
            teacher.nanos();
            student.nanos();
        }
        long[] tn = new long[runs];
        long[] sn = new long[runs];
        for (int i = 0; i < runs; i++) {
            if (i % 2 == 0) {
                tn[i] = teacher.nanos();
                sn[i] = student.nanos();
            } else {
                sn[i] = student.nanos();
                tn[i] = teacher.nanos();
            }
        }
        return new Latency(
                medianMs(tn) / batch,
                medianMs(sn) / batch,
                minMs(tn) / batch,
                minMs(sn) / batch,
                scope,
                batch,
                warmup,
                runs);
    }

    /** One run of a model; returns the nanoseconds the measured part took. */
    @FunctionalInterface
    interface Timed {
        long nanos();
    }

    private static long endToEnd(NDManager owner, List<float[]> garments, int[] idx, UnaryOperator<NDArray> model) {
        try (NDManager sm = owner.newSubManager()) {
            long start = System.nanoTime();
            consume(model.apply(Images.batch(sm, garments, idx)));
            return System.nanoTime() - start;
        }
    }

    private static long decoderOnly(
            SketchGan teacher, List<float[]> garments, int[] idx, Function<NDList, NDArray> decoder) {
        try (NDManager sm = teacher.manager().newSubManager()) {
            NDList stylised = teacher.stylise(teacher.encode(Images.batch(sm, garments, idx)));
            consume(stylised.get(0));
            long start = System.nanoTime();
            consume(decoder.apply(stylised));
            return System.nanoTime() - start;
        }
    }

    private static void consume(NDArray a) {
        if (a.toFloatArray().length == 0) {
            throw new IllegalStateException("model produced an empty output");
        }
    }

    /** Median of nanosecond samples, in milliseconds. */
    static double medianMs(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return median / 1e6;
    }

    private static double minMs(long[] nanos) {
        return Arrays.stream(nanos).min().orElseThrow() / 1e6;
    }
}
