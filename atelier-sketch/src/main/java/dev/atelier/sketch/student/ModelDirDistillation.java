package dev.atelier.sketch.student;

import dev.atelier.core.util.Progress;
import dev.atelier.sketch.model.ModelDir;
import dev.atelier.sketch.model.SketchGan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * {@code atelier sketch distill --model MODEL_DIR}: distils the edge student of any {@link ModelDir}
 * (written by {@code sketch train}, a node or the demo) into its {@code student.safetensors}, so
 * {@code atelier generate --model MODEL_DIR --student} works on it.
 *
 * <p>Garments only (the teacher labels them, {@link StudentDistiller}); the names listed in the
 * directory's {@code held-out.txt} are dropped first, so a later {@code sketch eval} of the student
 * never scores a garment it was distilled on. The student is written to a temporary file and moved
 * into place, so an interrupted run leaves any previous student intact. Not thread-safe (one DJL
 * training per JVM at a time).
 */
public final class ModelDirDistillation {
    private ModelDirDistillation() {}

    /**
     * What a run did.
     *
     * @param garments garments distilled on
     * @param heldOut garments dropped because {@code held-out.txt} lists them
     * @param mean metrics averaged over the steps
     * @param canvas the model's canvas side in px
     */
    public record Result(Path student, int garments, int heldOut, DistillMetrics mean, int canvas) {}

    /**
     * @param garments base name → garment on the model's canvas (see {@link ModelDir#canvas()}), in [0,1]
     * @param steps distillation steps (≥ 1)
     * @param progress one step per distillation step
     * @throws IllegalArgumentException when fewer than 2 garments remain or a garment is not on the canvas
     */
    public static Result run(ModelDir dir, SortedMap<String, float[]> garments, int steps, long seed, Progress progress)
            throws IOException {
        if (steps < 1) {
            throw new IllegalArgumentException("distillation needs at least 1 step, got " + steps);
        }
        Set<String> held = new TreeSet<>();
        if (Files.isRegularFile(dir.heldOut())) {
            Files.readAllLines(dir.heldOut()).stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .forEach(held::add);
        }
        List<float[]> train = new ArrayList<>();
        int dropped = 0;
        for (Map.Entry<String, float[]> e : garments.entrySet()) {
            if (held.contains(e.getKey())) {
                dropped++;
            } else {
                train.add(e.getValue());
            }
        }
        if (train.size() < 2) {
            throw new IllegalArgumentException(
                    "distillation needs at least 2 garments that are not held out, got " + train.size() + " (" + dropped
                            + " held out by " + dir.heldOut().getFileName() + ")");
        }
        Path tmp = dir.root().resolve(dir.student().getFileName() + ".tmp");
        try (SketchGan teacher = dir.loadModel();
                SketchStudent student = SketchStudent.create(teacher, StudentConfig.defaults(), seed);
                StudentDistiller distiller = StudentDistiller.builder()
                        .setStudent(student)
                        .setGarments(train)
                        .optSettings(DistillSettings.defaults(seed))
                        .build()) {
            DistillMetrics mean = distiller.distill(steps, m -> progress.step());
            student.save(tmp, Map.of("steps", Integer.toString(steps), "garments", Integer.toString(train.size())));
            Files.move(tmp, dir.student(), StandardCopyOption.REPLACE_EXISTING);
            return new Result(
                    dir.student(), train.size(), dropped, mean, teacher.config().canvas());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
