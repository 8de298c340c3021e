package dev.atelier.cli.sketch;

import dev.atelier.core.util.Progress;
import dev.atelier.ml.data.ImageFolderLoader;
import dev.atelier.sketch.folder.Canvas;
import dev.atelier.sketch.folder.DesignerFolder;
import dev.atelier.sketch.local.TrainingState;
import dev.atelier.sketch.model.ModelDir;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.student.ModelDirDistillation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code atelier sketch distill --model MODEL_DIR [--data DIR]}: distils the model directory's edge
 * student into {@code MODEL_DIR/student.safetensors} ({@link ModelDirDistillation}), for
 * {@code atelier generate --model MODEL_DIR --student}.
 */
@Command(
        name = "distill",
        mixinStandardHelpOptions = true,
        description = "Distil the fast edge student of a model directory (writes MODEL_DIR/student.safetensors).")
public final class SketchDistillCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            required = true,
            paramLabel = "MODEL_DIR",
            description = "A model directory: from `atelier sketch train --out`, a node's --state-dir or a demo.")
    Path model;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Garments to distil on: DIR/images/ when it exists, else DIR itself (default: the"
                    + " folder sketch train recorded in MODEL_DIR/training.json). Names in held-out.txt are skipped.")
    Path data;

    @Option(names = "--invert", description = "The garments are dark on a light ground (photos); as for sketch train.")
    boolean invert;

    @Option(
            names = "--steps",
            defaultValue = "240",
            description = "Distillation steps at batch 16 (default: ${DEFAULT-VALUE}; the student starts from the"
                    + " teacher's weights, docs/student.md).")
    int steps;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--student-encoder",
            defaultValue = "auto",
            paramLabel = "auto|on|off",
            description = "Give the student its own depthwise-separable encoder, distilled first (auto: for a"
                    + " canvas of 128 px or more, or a VGG-16 encoder, where the encoder dominates; default:"
                    + " ${DEFAULT-VALUE}).")
    String studentEncoder;

    @Option(
            names = "--encoder-steps",
            defaultValue = "" + ModelDirDistillation.ENCODER_STEPS,
            description = "With an own encoder: its distillation steps at batch 16 (default: ${DEFAULT-VALUE}).")
    int encoderSteps;

    @Override
    public Integer call() throws Exception {
        ModelDir dir = ModelDir.existing(model);
        Path folder = garmentFolder(dir);
        int canvas = dir.canvas();
        SortedMap<String, float[]> garments = new TreeMap<>();
        for (Path f : images(folder)) {
            String base = f.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            if (garments.put(base, Canvas.garment(f, invert, canvas)) != null) {
                throw new IllegalArgumentException(folder + " holds two garments named " + base
                        + " (extensions are ignored); rename or remove one");
            }
        }
        ModelDirDistillation.OwnEncoder own = switch (studentEncoder) {
            case "auto" -> ModelDirDistillation.OwnEncoder.AUTO;
            case "on" -> ModelDirDistillation.OwnEncoder.ON;
            case "off" -> ModelDirDistillation.OwnEncoder.OFF;
            default ->
                throw new IllegalArgumentException("--student-encoder must be auto, on or off, got " + studentEncoder);
        };
        String encoderKind = SketchGan.readMetadata(dir.model()).getOrDefault("encoder", "");
        Progress progress = Progress.start(
                "sketch distill " + model.getFileName(),
                ModelDirDistillation.totalSteps(steps, encoderSteps, own.resolve(canvas, encoderKind)));
        ModelDirDistillation.Result r =
                ModelDirDistillation.run(dir, garments, steps, own, encoderSteps, seed, progress);
        progress.finish(
                String.format(Locale.ROOT, "l1 to the teacher %.3f", r.mean().l1()));
        System.out.println("wrote " + r.student() + ": " + steps + " steps on " + r.garments() + " garments of "
                + folder + " (" + r.heldOut() + " held out skipped), " + r.canvas() + " px canvas, "
                + (r.ownEncoder()
                        ? String.format(
                                Locale.ROOT, "own separable encoder (relative feature error %.3f)", r.encoderError())
                        : "the teacher's encoder")
                + (r.subPixel() ? ", sub-pixel head (no full-canvas feature map)" : "")
                + String.format(
                        Locale.ROOT,
                        "; started from the teacher's decoder (%d tensors copied, %d 3x3 convs factorised, %d new)",
                        r.init().copied(),
                        r.init().factorised(),
                        r.init().kept()));
        System.out.println(
                "next: atelier generate --model " + model + " --student --input GARMENT(S) --out SKETCH(ES)");
        return 0;
    }

    private Path garmentFolder(ModelDir dir) throws Exception {
        Path base = data;
        if (base == null) {
            if (!Files.isRegularFile(dir.trainingState())) {
                throw new IllegalArgumentException(model + " has no training.json (not written by sketch train);"
                        + " pass --data with the designer's garment images");
            }
            base = Path.of(TrainingState.read(dir.trainingState()).data());
        }
        Path images = base.resolve(DesignerFolder.IMAGES);
        Path folder = Files.isDirectory(images) ? images : base;
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--data " + folder + " is not a folder");
        }
        return folder;
    }

    private static List<Path> images(Path folder) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(ImageFolderLoader::isImageFile)
                    .filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(folder + " holds no .png/.jpg/.jpeg garment images");
        }
        return files;
    }
}
