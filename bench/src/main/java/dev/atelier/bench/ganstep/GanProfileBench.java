package dev.atelier.bench.ganstep;

import dev.atelier.core.params.ParamSet;
import dev.atelier.ml.classifier.ClassifierWorkload;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.engine.PyTorchThreads;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.sketch.model.DecoderPadding;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.SketchPairs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./atelier bench ganprofile}: where a local sketch-GAN step of the default demo spends its
 * CPU time, part by part ({@code StepProfile}: batch gather, generator, encoding the fakes, critic
 * loss/backward/update, generator losses, adversarial term, generator backward/update), plus the
 * parts measured in isolation that the step's single backward pass merges (encoder, generator,
 * critic forward and backward) and the edge student's distillation step. Always one PyTorch
 * intra-op thread: the numbers are the calling thread's CPU time, which on a shared machine is a
 * far steadier estimate of an idle run's wall time than wall time itself; each figure is the
 * median over {@code --repeats} interleaved repeats. Parts: {@link ProfileRun} (the measurements),
 * {@link ProfileReport} (the printed table).
 */
@Command(
        name = "ganprofile",
        mixinStandardHelpOptions = true,
        description = "CPU time per part of the default demo's sketch-GAN step (teacher warm-up and GAN steps,"
                + " the student's distillation step), 1 PyTorch thread, median over repeats.")
public final class GanProfileBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--batch",
            paramLabel = "N",
            defaultValue = "8",
            description = "Teacher batch size (default: ${DEFAULT-VALUE}, the demo's).")
    int batch;

    @Option(
            names = "--steps",
            paramLabel = "N",
            defaultValue = "20",
            description = "Steps of each kind per repeat (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
            names = "--repeats",
            paramLabel = "N",
            defaultValue = "5",
            description = "Interleaved repeats; every figure is their median (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(
            names = "--examples",
            paramLabel = "N",
            defaultValue = "150",
            description = "Designer pairs (default: ${DEFAULT-VALUE}, the built-ins' median).")
    int examples;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Model, data and batch seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--decoder-padding",
            paramLabel = "P",
            defaultValue = "zeros",
            description = "Generator padding: zeros (the default model setting), border_mean or edge"
                    + " (default: ${DEFAULT-VALUE}).")
    String decoderPadding;

    @Override
    public Integer call() {
        require(batch >= 2, "--batch must be >= 2, got " + batch);
        require(steps >= 1, "--steps must be >= 1, got " + steps);
        require(repeats >= 1, "--repeats must be >= 1, got " + repeats);
        require(examples >= batch, "--examples must be at least --batch, got " + examples);
        // Before the engine loads: PtEngine reads these once. One thread, so thread CPU time is all the work.
        PyTorchThreads.set(1);
        DecoderPadding padding;
        try {
            padding = DecoderPadding.parse(decoderPadding);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--decoder-padding: " + e.getMessage());
        }
        ProfileRun.Result r = ProfileRun.run(designer(), encoder(), padding, batch, steps, repeats, seed);
        System.out.println("decoder padding: " + padding.key());
        ProfileReport.print(System.out, batch, steps, repeats, r);
        return 0;
    }

    /** Fixture garments drawn in the contour style (paired), as in {@code bench ganstep}. */
    private SketchPairs designer() {
        ImageDataset train = FashionMnist.loadFixture().train();
        List<float[]> garments = new ArrayList<>();
        List<float[]> sketches = new ArrayList<>();
        for (int i = 0; i < examples; i++) {
            float[] g = train.image(i % train.size());
            garments.add(g);
            sketches.add(Styles.CONTOUR.render(g));
        }
        return SketchPairs.paired(garments, sketches);
    }

    /** A seeded untrained FeatureNet: the public network's shapes, so the same cost. */
    private static ParamSet encoder() {
        try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
            return BlockParams.toParamSet(ClassifierWorkload.newModel(m, 11), "net");
        }
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
