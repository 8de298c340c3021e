package dev.atelier.bench.ganstep;

import dev.atelier.core.util.FileTrees;
import dev.atelier.ml.engine.PyTorchThreads;
import dev.atelier.sketch.train.TrainerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./atelier bench ganstep}: one local GAN step of the sketch GAN ({@code SketchTrainer},
 * critic update then generator update, batch 16, feature cache on) timed in Java/DJL and, in the
 * same run and on the same CPU, the same model and step re-implemented in PyTorch from Python
 * ({@code bench/python/sketch_gan_step.py}); prints both and their ratio.
 *
 * <p>"Same model" is checked, not assumed. Java exports to a temporary directory: every tensor of
 * the model ({@code SketchGan.save}: encoder, generator, critic with BatchNorm statistics, style
 * card), the spectral-norm vectors {@code u} (node-local buffers, via {@code SpectralNormConv2d.powerIterationVector()}), the
 * designer data, the batch indices of every step (the trainer's {@code SplittableRandom} replayed
 * from the same seed), a fixed batch with its inference-mode generator output and critic output,
 * and, after the first training step, that step's losses, the generator output and all weights.
 * The Python side loads the weights by name and refuses to time unless parameter names, shapes and
 * counts match, the inference outputs agree within {@code --tolerance} (max abs diff) and its own
 * first step reproduces Java's losses and weights. Then both sides run the same untimed warm-up
 * and the same timed steps on the same batches, sequentially (never concurrently), with the same
 * intra-op thread count and one inter-op thread.
 *
 * <p>Parts: {@link JavaSide} (model, export via {@link ModelExport}, Java timing), {@link PythonSide}
 * (interpreter, script, result), {@link StepStats}, {@link GanStepReport} (the printed table).
 * Options are documented in {@code bench/python/README.md} and by {@code --help}.
 */
@Command(
        name = "ganstep",
        mixinStandardHelpOptions = true,
        description = "One local sketch-GAN step in Java/DJL vs the same model in PyTorch"
                + " (bench/python/sketch_gan_step.py), checked equal before timing; prints both and their ratio."
                + " Exit 3: the two models differ.")
public final class GanStepBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Intra-op threads of both sides (default: -Dai.djl.pytorch.num_threads, else the cores).")
    Integer threads;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            defaultValue = "5",
            description = "Untimed steps after the check step (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--steps",
            paramLabel = "N",
            defaultValue = "30",
            description = "Timed steps per side (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
            names = "--examples",
            paramLabel = "N",
            defaultValue = "256",
            description = "Designer pairs, at least one batch (default: ${DEFAULT-VALUE}).")
    int examples;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Model, data and batch seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--python",
            paramLabel = "PATH",
            defaultValue = "${env:ATELIER_PYTHON:-" + PythonSide.DEFAULT_PYTHON + "}",
            description = "Python with torch (default: $ATELIER_PYTHON, else " + PythonSide.DEFAULT_PYTHON
                    + ", Debian's python3-torch).")
    String python;

    @Option(names = "--no-python", description = "Time the Java side only.")
    boolean noPython;

    @Option(
            names = "--tolerance",
            paramLabel = "X",
            defaultValue = "1e-3",
            description = "Max abs difference of the two sides' inference outputs (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--keep", description = "Keep the export directory.")
    boolean keep;

    /** Runs the benchmark; the exit code is 0 also when Python/torch is unavailable (the reason is printed). */
    @Override
    public Integer call() throws Exception {
        GanStepOptions o = options();
        // Must happen before the engine loads: PtEngine reads these once.
        PyTorchThreads.set(o.threads());
        Path dir = Files.createTempDirectory("atelier-ganstep-");
        try {
            JavaSide.Result java = JavaSide.run(o, dir);
            PythonSide.Outcome py = PythonSide.run(o, dir);
            GanStepReport.print(o, batchSize(), java, py);
            return py.exitCode();
        } finally {
            if (o.keep()) {
                System.err.println("export kept in " + dir);
            } else {
                deleteTree(dir);
            }
        }
    }

    /** The validated options; a bad value fails with picocli's usage error (exit 2). */
    GanStepOptions options() {
        Integer sysThreads = PyTorchThreads.configuredIntraOp();
        int t = threads != null
                ? threads
                : sysThreads != null ? sysThreads : Runtime.getRuntime().availableProcessors();
        require(t >= 1, "--threads must be >= 1, got " + t);
        require(warmup >= 0, "--warmup must be >= 0, got " + warmup);
        require(steps >= 1, "--steps must be >= 1, got " + steps);
        require(
                examples >= batchSize(),
                "--examples must be at least the batch size " + batchSize() + ", got " + examples);
        require(tolerance >= 0 && Double.isFinite(tolerance), "--tolerance must be finite and >= 0, got " + tolerance);
        return new GanStepOptions(t, warmup, steps, examples, seed, python, noPython, tolerance, keep);
    }

    private int batchSize() {
        return TrainerSettings.defaults(seed).batchSize();
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    private static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            System.err.println("ganstep: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
