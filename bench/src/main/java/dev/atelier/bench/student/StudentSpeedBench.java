package dev.atelier.bench.student;

import ai.djl.ndarray.NDManager;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.classifier.ClassifierWorkload;
import dev.atelier.ml.engine.PyTorchThreads;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.student.ModelCost;
import dev.atelier.sketch.student.ModelCosts;
import dev.atelier.sketch.student.SketchStudent;
import dev.atelier.sketch.student.StageLatency;
import dev.atelier.sketch.student.StudentConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./atelier bench student}: teacher vs edge student end to end (encoder included) on the CPU,
 * per canvas and batch size, with the time of every stage ({@link StageLatency}) and the MACs per
 * sketch ({@link ModelCosts}); {@code student} reuses the teacher's encoder, {@code stud+enc} has its
 * own depthwise-separable one ({@code StudentEncoder}), {@code subpixel} has its own encoder and the
 * sub-pixel head ({@code StudentConfig.subPixel}: no full-canvas feature map). Each student's speed-up is against the
 * teacher timed in the same alternating loop as it (the teacher row is the first loop's). Speed does not depend on the weights' values, so the models are
 * freshly initialised (the default FeatureNet encoder with seeded random weights, or
 * {@code --encoder FILE}, e.g. a torchvision VGG-16) and the garments are seeded noise. Results are
 * recorded in docs/benchmarks.md.
 */
@Command(
        name = "student",
        mixinStandardHelpOptions = true,
        description = "Teacher vs edge student latency per stage, per canvas and batch size (CPU).")
public final class StudentSpeedBench implements Callable<Integer> {
    @Option(
            names = "--canvas",
            split = ",",
            defaultValue = "32,256",
            description = "Canvas sides (default: ${DEFAULT-VALUE}).")
    List<Integer> canvases;

    @Option(
            names = "--batch",
            split = ",",
            defaultValue = "1,16",
            description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed runs per model (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "15", description = "Timed runs per model (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--models",
            split = ",",
            defaultValue = "student,stud+enc,subpixel",
            description =
                    "Students to time against the teacher: student, stud+enc, subpixel (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(
            names = "--width-divisor",
            defaultValue = "4",
            description =
                    "Students' decoder width divisor (StudentConfig; 2 = the teacher's widths; default: ${DEFAULT-VALUE}).")
    int widthDivisor;

    @Option(
            names = "--down-divisor",
            defaultValue = "4",
            description = "Students' pooled-skip divisor (StudentConfig; default: ${DEFAULT-VALUE}).")
    int downDivisor;

    @Option(
            names = "--encoder",
            paramLabel = "FILE",
            description = "Encoder weights (a public feature network or a torchvision VGG-16 state dict);"
                    + " default: a seeded random FeatureNet, the default encoder's architecture.")
    Path encoder;

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || warmup < 0 || runs < 1 || widthDivisor < 1 || downDivisor < 1) {
            throw new IllegalArgumentException(
                    "need --threads >= 1, --warmup >= 0, --runs >= 1, --width-divisor >= 1, --down-divisor >= 1");
        }
        for (String m : models) {
            if (!List.of("student", "stud+enc", "subpixel").contains(m)) {
                throw new IllegalArgumentException("--models takes student, stud+enc and subpixel, got '" + m + "'");
            }
        }
        // Must happen before the engine loads: PtEngine reads these once.
        PyTorchThreads.set(threads);
        ParamSet weights = encoderWeights();
        System.out.printf(
                Locale.ROOT,
                "teacher vs edge student, CPU, %d thread(s), median of %d runs after %d warm-up, ms per sketch%n",
                threads,
                runs,
                warmup);
        System.out.printf(
                Locale.ROOT,
                "%-6s %5s %-8s %8s %8s %8s %8s %8s %9s %9s %9s %8s %8s%n",
                "canvas",
                "batch",
                "model",
                "input",
                "encoder",
                "style",
                "decoder",
                "output",
                "total",
                "best",
                "MMAC",
                "speedup",
                "best");
        for (int canvas : canvases) {
            SketchGanConfig config = SketchGanConfig.defaults().withCanvas(canvas);
            try (SketchGan teacher = SketchGan.create(weights, config, 1)) {
                List<float[]> garments = noise(Math.max(16, max(batches)), canvas, 3);
                teacher.setStyleCard(teacher.computeStyleCard(garments.subList(0, 4)));
                ModelCost tc = ModelCosts.teacher(teacher);
                for (int batch : batches) {
                    List<float[]> batchGarments = garments.subList(0, batch);
                    boolean first = true;
                    for (String model : models) {
                        try (SketchStudent s = student(teacher, model)) {
                            StageLatency.Comparison c = StageLatency.measure(s, batchGarments, warmup, runs);
                            if (first) {
                                row(canvas, batch, "teacher", c.teacher(), tc, "", "");
                                first = false;
                            }
                            row(
                                    canvas,
                                    batch,
                                    model,
                                    c.student(),
                                    ModelCosts.student(s),
                                    x(c.speedup()),
                                    x(c.bestSpeedup()));
                        }
                    }
                }
            }
        }
        return 0;
    }

    private static void row(
            int canvas,
            int batch,
            String name,
            StageLatency.Breakdown b,
            ModelCost cost,
            String speedup,
            String bestSpeedup) {
        System.out.printf(
                Locale.ROOT,
                "%-6d %5d %-8s %8.3f %8.3f %8.3f %8.3f %8.3f %9.3f %9.3f %9.1f %8s %8s%n",
                canvas,
                batch,
                name,
                b.ms("input"),
                b.ms("encoder"),
                b.ms("style"),
                b.ms("decoder"),
                b.ms("output"),
                b.totalMs(),
                b.bestMs(),
                (cost.encoderMacs() + cost.decoderMacs()) / 1e6,
                speedup,
                bestSpeedup);
    }

    /** A fresh student of the named kind with this run's widths. */
    private SketchStudent student(SketchGan teacher, String model) {
        StudentConfig c =
                StudentConfig.defaults().withWidthDivisor(widthDivisor).withDownDivisor(downDivisor);
        return switch (model) {
            case "student" -> SketchStudent.create(teacher, c, 2);
            case "stud+enc" -> SketchStudent.createWithEncoder(teacher, c, 2);
            case "subpixel" -> SketchStudent.createWithEncoder(teacher, c.withSubPixel(true), 2);
            default ->
                throw new IllegalArgumentException(
                        "--models takes student, stud+enc and subpixel, got '" + model + "'");
        };
    }

    private static String x(double speedup) {
        return String.format(Locale.ROOT, "%.2fx", speedup);
    }

    private ParamSet encoderWeights() throws Exception {
        if (encoder != null) {
            return Safetensors.read(encoder);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            return BlockParams.toParamSet(ClassifierWorkload.newModel(m, 11), "net");
        }
    }

    private static int max(List<Integer> v) {
        return v.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    private static List<float[]> noise(int n, int side, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] img = new float[side * side];
            for (int j = 0; j < img.length; j++) {
                img[j] = (float) rng.nextDouble();
            }
            out.add(img);
        }
        return out;
    }
}
