package dev.atelier.sketch.model;

import dev.atelier.core.params.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The one folder layout of a designer's trained model, whoever wrote it: {@code atelier sketch
 * train --out DIR}, a deployed node (its {@code --state-dir}) or the demo
 * ({@code models/<designer>/<regime>/}). {@code atelier generate --model DIR} reads any of them.
 *
 * <pre>
 * model.safetensors                   the full local GAN ({@link SketchGan#save}: encoder, generator, critic, style card;
 *                                     its metadata {@code config.canvas} is the canvas side, {@link #canvas()})
 * student.safetensors                 the distilled edge student (optional; --student; `atelier sketch distill --model DIR`)
 * federation-style-card.safetensors   the federation's average style card (optional; --blend)
 * training.json                       sketch train's progress and settings (sketch train only; resumes from it)
 * held-out.txt                        names of the pairs sketch train held out (sketch train only)
 * </pre>
 *
 * Immutable; the files are written by their owners ({@code SketchGan}, {@code SketchStudent}, the
 * trainer), this record only spells the paths.
 *
 * @param root the model directory
 */
public record ModelDir(Path root) {
    /** File name of the model; also the name a node's workload saves under its state dir. */
    public static final String MODEL = "model.safetensors";

    public ModelDir {
        Objects.requireNonNull(root, "root");
    }

    public Path model() {
        return root.resolve(MODEL);
    }

    public Path student() {
        return root.resolve("student.safetensors");
    }

    public Path federationCard() {
        return root.resolve("federation-style-card.safetensors");
    }

    public Path trainingState() {
        return root.resolve("training.json");
    }

    public Path heldOut() {
        return root.resolve("held-out.txt");
    }

    /**
     * The model directory at {@code root}, checked to hold a model.
     *
     * @throws IllegalArgumentException saying what a model directory is when it does not
     */
    public static ModelDir existing(Path root) {
        ModelDir dir = new ModelDir(root);
        if (!Files.isRegularFile(dir.model())) {
            throw new IllegalArgumentException(root + " is not a model directory: " + MODEL + " is missing (model"
                    + " directories are written by `atelier sketch train --out DIR`, by a sketch node under its"
                    + " --state-dir, and by `atelier demo` under models/<designer>/<regime>/)");
        }
        return dir;
    }

    /** Loads the model (the caller closes it). */
    public SketchGan loadModel() throws IOException {
        return SketchGan.load(model());
    }

    /** The side in px of the canvas the model was trained at (its checkpoint metadata). */
    public int canvas() throws IOException {
        return SketchGan.readConfig(model()).canvas();
    }

    /** Writes the federation's style card next to the model. */
    public void saveFederationCard(StyleCard card, int designers) throws IOException {
        Files.createDirectories(root);
        Safetensors.write(
                card.toParamSet(), java.util.Map.of("designers", Integer.toString(designers)), federationCard());
    }
}
