package dev.atelier.cli.sketch;

import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.data.ImageFolderLoader;
import dev.atelier.sketch.demo.DemoLayout;
import dev.atelier.sketch.demo.DemoRegime;
import dev.atelier.sketch.demo.Png;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.StyleCard;
import dev.atelier.sketch.student.SketchStudent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code atelier generate}: one sketch from one garment image with a designer's trained model. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Sketch a garment image in a designer's style (own or blended) using a demo run's models.")
public final class GenerateCommand implements Callable<Integer> {
    @Option(
            names = "--run",
            required = true,
            paramLabel = "DIR",
            description = "A demo output directory (holds models/<designer>/).")
    Path run;

    @Option(names = "--designer", required = true, description = "Designer name, e.g. ada-contour.")
    String designer;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "IMG",
            description = "Garment image (PNG/JPEG, any size; resized to 28x28).")
    Path input;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "PNG",
            description = "Where to write the 32x32 sketch (scaled x4).")
    Path out;

    @Option(
            names = "--regime",
            defaultValue = "federated",
            description = "local_only | federated | centralized (default: ${DEFAULT-VALUE}).")
    String regime;

    @Option(names = "--blend", description = "a in [0,1]: a*own style + (1-a)*the federation's average style card.")
    Double blend;

    @Option(names = "--student", description = "Use the distilled edge student instead of the teacher.")
    boolean student;

    @Option(
            names = "--invert",
            description =
                    "Invert the input (for dark garments on a light background; models expect a light garment on black).")
    boolean invert;

    @Override
    public Integer call() throws Exception {
        DemoLayout layout = new DemoLayout(run);
        DemoRegime teacher = DemoRegime.ofKey(regime);
        if (teacher == DemoRegime.STUDENT) {
            throw new IllegalArgumentException("--regime names a teacher (local_only, federated, centralized);"
                    + " for the student pass --student");
        }
        Path model = layout.model(designer, teacher);
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("no model " + model
                    + " — check --run, --designer and --regime (designers: "
                    + String.join(", ", layout.designers()) + ")");
        }
        ImageFolderLoader loader = ImageFolderLoader.of(28, 28);
        float[] garment = (invert ? loader.inverted() : loader).loadImage(input);
        try (SketchGan gan = SketchGan.load(model)) {
            if (blend != null) {
                gan.setStyleCard(gan.styleCard().blend(federationCard(layout), blend));
            }
            float[] sketch;
            if (student) {
                try (SketchStudent s = SketchStudent.load(layout.model(designer, DemoRegime.STUDENT), gan)) {
                    sketch = s.generate(new float[][] {garment})[0];
                }
            } else {
                sketch = gan.generate(new float[][] {garment})[0];
            }
            Png.write(sketch, 4, out);
        }
        System.out.println("wrote " + out);
        return 0;
    }

    /** The style card the federation aggregated from the designers who shared theirs (written by the demo). */
    private static StyleCard federationCard(DemoLayout layout) throws IOException {
        Path f = layout.federationCard();
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("--blend needs the federation's style card " + f
                    + " (written by `atelier demo`); run a demo or drop --blend");
        }
        return StyleCard.fromParamSet(Safetensors.read(f));
    }
}
