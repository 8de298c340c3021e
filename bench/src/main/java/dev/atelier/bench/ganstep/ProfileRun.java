package dev.atelier.bench.ganstep;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.atelier.core.params.ParamSet;
import dev.atelier.sketch.model.DecoderPadding;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.student.DistillSettings;
import dev.atelier.sketch.student.SketchStudent;
import dev.atelier.sketch.student.StudentConfig;
import dev.atelier.sketch.student.StudentDistiller;
import dev.atelier.sketch.train.SketchPairs;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.StepProfile;
import dev.atelier.sketch.train.TrainerSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The measurements of {@link GanProfileBench}: the default demo's teacher trainer (its settings at
 * the demo's batch, a {@link StepProfile} attached), the same model's parts in isolation and the
 * edge student's distillation, interleaved per repeat so a change in the machine's load hits every
 * figure alike. All figures are CPU milliseconds per step (or per call), medians over repeats.
 */
final class ProfileRun {
    /** Isolated parts, in the order of {@link #ISOLATED}. */
    static final List<String> ISOLATED = List.of(
            "encoder forward (no gradient)",
            "encoder forward + backward to its input",
            "generator forward + backward",
            "critic forward + backward ([real; fake], 2B)");

    /**
     * @param warmup        per part, CPU ms per generator-only warm-up step
     * @param gan           per part, CPU ms per GAN step
     * @param warmupProcess process CPU ms per warm-up step (all threads: GC and JIT included)
     * @param ganProcess    process CPU ms per GAN step
     * @param isolated      CPU ms per call of each of {@link #ISOLATED}
     * @param student       CPU ms per distillation step of the edge student (its default batch)
     */
    record Result(
            Map<StepProfile.Part, Double> warmup,
            Map<StepProfile.Part, Double> gan,
            double warmupProcess,
            double ganProcess,
            Map<String, Double> isolated,
            double student) {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ProfileRun() {}

    static Result run(
            SketchPairs data, ParamSet encoder, DecoderPadding padding, int batch, int steps, int repeats, long seed) {
        SketchGanConfig config = SketchGanConfig.defaults().withDecoderPadding(padding);
        TrainerSettings settings = TrainerSettings.defaults(seed).withBatchSize(batch);
        StepProfile profile = new StepProfile();
        List<Map<StepProfile.Part, Double>> warm = new ArrayList<>();
        List<Map<StepProfile.Part, Double>> gan = new ArrayList<>();
        double[] warmProcess = new double[repeats];
        double[] ganProcess = new double[repeats];
        Map<String, double[]> isolated = new LinkedHashMap<>();
        ISOLATED.forEach(n -> isolated.put(n, new double[repeats]));
        double[] student = new double[repeats];
        try (SketchTrainer trainer = SketchTrainer.builder()
                        .setModel(SketchGan.create(encoder, config, seed))
                        .setData(data)
                        .optSettings(settings)
                        .optProfile(profile)
                        .build();
                SketchGan parts = SketchGan.create(encoder, config, seed + 1)) {
            parts.setStyleCard(parts.computeStyleCard(data.sketches()));
            // Untimed: allocator, JIT, the feature cache.
            trainer.warmup(3, null);
            trainer.trainSteps(3, null);
            isolatedParts(parts, batch, 2);
            for (int r = 0; r < repeats; r++) {
                profile.reset();
                long p0 = processNanos();
                trainer.warmup(steps, null);
                warmProcess[r] = (processNanos() - p0) / 1e6 / steps;
                warm.add(perStep(profile, steps));
                profile.reset();
                p0 = processNanos();
                trainer.trainSteps(steps, null);
                ganProcess[r] = (processNanos() - p0) / 1e6 / steps;
                gan.add(perStep(profile, steps));
                double[] iso = isolatedParts(parts, batch, steps);
                for (int i = 0; i < iso.length; i++) {
                    isolated.get(ISOLATED.get(i))[r] = iso[i];
                }
                student[r] = studentStep(trainer.model(), data, steps, seed);
            }
        }
        Map<String, Double> iso = new LinkedHashMap<>();
        isolated.forEach((n, v) -> iso.put(n, median(v)));
        return new Result(medians(warm), medians(gan), median(warmProcess), median(ganProcess), iso, median(student));
    }

    /** CPU ms per distillation step of a fresh student of {@code teacher} (default settings). */
    private static double studentStep(SketchGan teacher, SketchPairs data, int steps, long seed) {
        try (SketchStudent s = SketchStudent.create(teacher, StudentConfig.defaults(), seed);
                StudentDistiller d = StudentDistiller.builder()
                        .setStudent(s)
                        .setGarments(data.garments())
                        .optSettings(DistillSettings.defaults(seed))
                        .build()) {
            d.distill(2, null);
            long t0 = THREADS.getCurrentThreadCpuTime();
            d.distill(steps, null);
            return (THREADS.getCurrentThreadCpuTime() - t0) / 1e6 / steps;
        }
    }

    /** CPU ms per call of each isolated part, {@code calls} calls each. */
    private static double[] isolatedParts(SketchGan gan, int batch, int calls) {
        int scales = gan.encoder().channels().length;
        int size = gan.config().gramSize();
        int canvas = gan.config().canvas();
        double[] out = new double[ISOLATED.size()];
        out[0] = time(calls, sm -> gan.encode(sm.randomUniform(-1, 1, new Shape(batch, 1, canvas, canvas))));
        out[1] = time(calls, sm -> {
            NDArray x = sm.randomUniform(-1, 1, new Shape(batch, 1, canvas, canvas));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = null;
                for (NDArray f : gan.encode(x)) {
                    loss = loss == null ? f.mean() : loss.add(f.mean());
                }
                gc.backward(loss);
            }
        });
        out[2] = time(calls, sm -> {
            NDList stylised = gan.stylise(gan.encode(sm.randomUniform(-1, 1, new Shape(batch, 1, canvas, canvas))));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(gan.generator()
                        .forward(gan.store(), stylised, true)
                        .singletonOrThrow()
                        .mean());
            }
        });
        out[3] = time(calls, sm -> {
            NDArray input = sm.randomUniform(0, 1e-2f, new Shape(2L * batch, scales, size, size));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(gan.criticize(input, true).get(0).mean());
            }
        });
        return out;
    }

    /** CPU ms per call of {@code part}, each call in its own sub-manager (random inputs included). */
    private static double time(int calls, Consumer<NDManager> part) {
        long total = 0;
        try (NDManager base = NDManager.newBaseManager()) {
            for (int i = 0; i < calls; i++) {
                try (NDManager sm = base.newSubManager()) {
                    long t0 = THREADS.getCurrentThreadCpuTime();
                    part.accept(sm);
                    total += THREADS.getCurrentThreadCpuTime() - t0;
                }
            }
        }
        return total / 1e6 / calls;
    }

    private static long processNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Map<StepProfile.Part, Double> perStep(StepProfile p, int steps) {
        Map<StepProfile.Part, Double> out = new EnumMap<>(StepProfile.Part.class);
        p.totalMillis().forEach((k, v) -> out.put(k, v / steps));
        return out;
    }

    private static Map<StepProfile.Part, Double> medians(List<Map<StepProfile.Part, Double>> runs) {
        Map<StepProfile.Part, Double> out = new EnumMap<>(StepProfile.Part.class);
        for (StepProfile.Part p : StepProfile.Part.values()) {
            out.put(p, median(runs.stream().mapToDouble(m -> m.get(p)).toArray()));
        }
        return out;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
