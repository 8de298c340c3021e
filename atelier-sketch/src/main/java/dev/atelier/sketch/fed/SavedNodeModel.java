package dev.atelier.sketch.fed;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The model a sketch node starts from when its state folder already holds one
 * ({@code STATE_DIR/model.safetensors}, the {@link dev.atelier.sketch.model.ModelDir} layout): a
 * restarted node continues from the model it saved after its last round, and a designer's own
 * model put there (the studio copies her active version, {@code atelier sketch train --out}'s
 * {@code model.safetensors}) is trained on in the federation instead of a fresh model from the
 * run's seed. The saved model keeps its own encoder (its generator was trained on it). It must
 * fit the run: the same canvas, and a critic with the run's shared tensors and shapes (they are
 * replaced by the federation's every round); otherwise the node refuses to start, naming the file.
 * Stateless.
 */
final class SavedNodeModel {
    private SavedNodeModel() {}

    /** Whether {@code stateDir} (null: none) holds a model to start from. */
    static boolean exists(Path stateDir) {
        return stateDir != null && Files.isRegularFile(stateDir.resolve(SketchWorkload.MODEL_FILE));
    }

    /**
     * The saved model in {@code stateDir}, checked against the run, or empty when there is none
     * (or {@code stateDir} is null); the caller closes it.
     *
     * @param run          the run's architecture (its canvas)
     * @param sharedCritic the run's initial shared critic ({@code disc.**} without BatchNorm)
     * @throws IOException an unreadable model, or one that does not fit the run
     */
    static Optional<SketchGan> load(Path stateDir, SketchGanConfig run, ParamSet sharedCritic) throws IOException {
        if (!exists(stateDir)) {
            return Optional.empty();
        }
        Path file = stateDir.resolve(SketchWorkload.MODEL_FILE);
        SketchGanConfig saved = SketchGan.readConfig(file);
        if (saved.canvas() != run.canvas()) {
            throw new IOException(file + " was trained on a " + saved.canvas() + " px canvas but the run's canvas is "
                    + run.canvas() + " px: move it out of the node's state folder to start from a fresh model");
        }
        SketchGan model = SketchGan.load(file);
        try {
            ParamSet own = model.discriminatorParams();
            for (var e : sharedCritic.asMap().entrySet()) {
                Tensor mine = own.contains(e.getKey()) ? own.get(e.getKey()) : null;
                if (mine == null || !mine.sameSpec(e.getValue())) {
                    throw new IOException(file + ": its critic tensor '" + e.getKey() + "' is " + mine
                            + " but the run's is " + e.getValue()
                            + ": move it out of the node's state folder to start from a fresh model");
                }
            }
            return Optional.of(model);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
