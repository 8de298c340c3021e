package dev.atelier.cli.sketch;

import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.data.ImageFolderLoader;
import dev.atelier.sketch.demo.DemoLayout;
import dev.atelier.sketch.demo.DemoRegime;
import dev.atelier.sketch.demo.Png;
import dev.atelier.sketch.folder.Canvas;
import dev.atelier.sketch.model.ModelDir;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.StyleCard;
import dev.atelier.sketch.student.SketchStudent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code atelier generate}: sketches of garment images with a designer's trained model, one file or
 * a whole folder in one JVM. The model is a {@link ModelDir} ({@code --model}: written by
 * {@code atelier sketch train}, a node's state dir, or a demo's {@code models/<designer>/<regime>/})
 * or, as before, a demo run and a designer ({@code --run --designer [--regime]}).
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Sketch garment images (a file or a folder) in a designer's style (own or blended).")
public final class GenerateCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            paramLabel = "MODEL_DIR",
            description = "A model directory (model.safetensors, optionally student.safetensors and"
                    + " federation-style-card.safetensors): from `atelier sketch train --out`, a node's"
                    + " --state-dir, or a demo's models/<designer>/<regime>/.")
    Path model;

    @Option(names = "--run", paramLabel = "DIR", description = "A demo output directory (with --designer).")
    Path run;

    @Option(names = "--designer", description = "With --run: designer name, e.g. ada-contour.")
    String designer;

    @Option(
            names = "--regime",
            defaultValue = "federated",
            description = "With --run: local_only | federated | centralized (default: ${DEFAULT-VALUE}).")
    String regime;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "FILE|DIR",
            description = "A garment image (PNG/JPEG, any size) or a folder of them.")
    Path input;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE|DIR",
            description = "The sketch PNG for one input; for a folder (or an existing folder) the folder"
                    + " to write <name>.png into.")
    Path out;

    @Option(names = "--blend", description = "a in [0,1]: a*own style + (1-a)*the federation's average style card.")
    Double blend;

    @Option(names = "--student", description = "Use the distilled edge student instead of the teacher.")
    boolean student;

    @Option(
            names = "--invert",
            description =
                    "Invert the input (for dark garments on a light background; models expect a light garment on black).")
    boolean invert;

    @Option(
            names = "--scale",
            defaultValue = "4",
            description = "Each sketch pixel (the model's canvas, e.g. 32x32) becomes scale x scale pixels"
                    + " (default: ${DEFAULT-VALUE}).")
    int scale;

    @Override
    public Integer call() throws Exception {
        if (scale < 1 || scale > 64) {
            throw new IllegalArgumentException("--scale must be in 1..64, got " + scale);
        }
        if (blend != null && !(blend >= 0 && blend <= 1)) {
            throw new IllegalArgumentException("--blend must be in [0, 1], got " + blend);
        }
        Sources src = sources();
        List<Path> inputs = inputs();
        List<Path> outputs = outputs(inputs);
        float[][] sketches;
        try (SketchGan gan = SketchGan.load(src.model())) {
            // garments go onto the canvas the model was trained at (its checkpoint metadata)
            float[][] garments = new float[inputs.size()][];
            for (int i = 0; i < garments.length; i++) {
                garments[i] = Canvas.garment(inputs.get(i), invert, gan.config().canvas());
            }
            if (blend != null) {
                gan.setStyleCard(gan.styleCard()
                        .blend(src.card("written by `atelier demo` next to each federated model"), blend));
            }
            if (student) {
                if (!Files.isRegularFile(src.student())) {
                    throw new IllegalArgumentException(
                            "--student needs " + src.student()
                                    + " (`atelier sketch distill --model MODEL_DIR` writes it; the demo distils one per designer next to its federated model)");
                }
                try (SketchStudent s = SketchStudent.load(src.student(), gan)) {
                    sketches = s.generate(garments);
                }
            } else {
                sketches = gan.generate(garments);
            }
        }
        for (int i = 0; i < sketches.length; i++) {
            Png.write(sketches[i], scale, outputs.get(i));
        }
        System.out.println(
                inputs.size() == 1 ? "wrote " + outputs.get(0) : "wrote " + inputs.size() + " sketches to " + out);
        return 0;
    }

    /** Where the model, the student and the federation's card of this call are read from. */
    private record Sources(Path model, Path student, Path card) {
        static Sources of(ModelDir dir) {
            return new Sources(dir.model(), dir.student(), dir.federationCard());
        }

        StyleCard card(String hint) throws IOException {
            if (!Files.isRegularFile(card)) {
                throw new IllegalArgumentException("--blend needs the federation's style card " + card + " (" + hint
                        + "); drop --blend for this model");
            }
            return StyleCard.fromParamSet(Safetensors.read(card));
        }
    }

    private Sources sources() throws IOException {
        if ((model == null) == (run == null)) {
            throw new IllegalArgumentException(
                    "pass either --model MODEL_DIR or --run DIR --designer NAME (a demo run's model)");
        }
        if (model != null) {
            return Sources.of(ModelDir.existing(model));
        }
        if (designer == null) {
            throw new IllegalArgumentException("--run needs --designer");
        }
        DemoLayout layout = new DemoLayout(run);
        DemoRegime teacher = DemoRegime.ofKey(regime);
        if (teacher == DemoRegime.STUDENT) {
            throw new IllegalArgumentException("--regime names a teacher (local_only, federated, centralized);"
                    + " for the student pass --student");
        }
        ModelDir dir = layout.modelDir(designer, teacher);
        if (!Files.isRegularFile(dir.model())) {
            throw new IllegalArgumentException("no model " + dir.model()
                    + " — check --run, --designer and --regime (designers: "
                    + String.join(", ", layout.designers()) + ")");
        }
        // the student and the federation's card live in the federated model directory
        ModelDir federated = layout.modelDir(designer, DemoRegime.FEDERATED);
        return new Sources(dir.model(), federated.student(), federated.federationCard());
    }

    private List<Path> inputs() throws IOException {
        if (Files.isDirectory(input)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(input)) {
                files = s.filter(ImageFolderLoader::isImageFile)
                        .filter(Files::isRegularFile)
                        .sorted()
                        .toList();
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException(input + " holds no .png/.jpg/.jpeg images");
            }
            return files;
        }
        if (!Files.isRegularFile(input)) {
            throw new IllegalArgumentException("--input " + input + " is neither an image file nor a folder");
        }
        return List.of(input);
    }

    private List<Path> outputs(List<Path> inputs) throws IOException {
        boolean toFolder = Files.isDirectory(input) || Files.isDirectory(out);
        if (!toFolder) {
            return List.of(out);
        }
        if (Files.isRegularFile(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file; a folder input needs an output folder");
        }
        Files.createDirectories(out);
        List<Path> result = new ArrayList<>();
        for (Path in : inputs) {
            String name = in.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            Path target = out.resolve(name + ".png");
            if (result.contains(target)) {
                throw new IllegalArgumentException("two inputs would both be written to " + target
                        + " (same name, different extensions); rename one");
            }
            result.add(target);
        }
        return result;
    }
}
