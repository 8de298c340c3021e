package dev.atelier.sketch.student;

import dev.atelier.core.util.Progress;
import dev.atelier.sketch.model.ModelDir;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.VggEncoder;
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
 * <p>Where the teacher's encoder dominates the time (a canvas of {@value #OWN_ENCODER_CANVAS} px or
 * more, or the VGG-16 encoder; docs/benchmarks.md), the student first gets its own
 * depthwise-separable encoder ({@link EncoderDistiller}, {@value #ENCODER_STEPS} steps by default), then its
 * decoder is distilled on that encoder's maps; otherwise it reuses the teacher's encoder. From
 * {@value StudentConfig#SUB_PIXEL_CANVAS} px the student also drops the full-canvas scale and draws
 * with a sub-pixel head ({@link StudentConfig#forCanvas}, {@link SubPixelDecoder}): that is what
 * makes it more than 2× faster than the teacher at 256 px (docs/student.md).
 *
 * <p>The student has the teacher's decoder widths ({@link StudentConfig#teacherWidths}) and starts
 * from the teacher's weights ({@link TeacherInit}): at 32 px that start is what brings its FSD to
 * within about 10% of the teacher's in 120 steps (docs/student.md, session 7).
 *
 * <p>Garments only (the teacher labels them, {@link StudentDistiller}); the names listed in the
 * directory's {@code held-out.txt} are dropped first, so a later {@code sketch eval} of the student
 * never scores a garment it was distilled on. The student is written to a temporary file and moved
 * into place, so an interrupted run leaves any previous student intact. Not thread-safe (one DJL
 * training per JVM at a time).
 */
public final class ModelDirDistillation {
    /** Smallest canvas at which the student gets its own encoder by default. */
    public static final int OWN_ENCODER_CANVAS = 128;
    /** Default encoder distillation steps (batch 16) when the student has its own encoder. */
    public static final int ENCODER_STEPS = 200;

    private static final float ENCODER_LR = 3e-3f;

    private ModelDirDistillation() {}

    /** Whether the student gets its own encoder. */
    public enum OwnEncoder {
        /** On for a canvas of {@value #OWN_ENCODER_CANVAS} px or more, or a VGG-16 teacher encoder. */
        AUTO,
        ON,
        OFF;

        /** The choice for a teacher of this canvas and encoder kind. */
        public boolean resolve(int canvas, String encoderKind) {
            return switch (this) {
                case ON -> true;
                case OFF -> false;
                case AUTO -> canvas >= OWN_ENCODER_CANVAS || VggEncoder.KIND.equals(encoderKind);
            };
        }
    }

    /**
     * What a run did.
     *
     * @param garments garments distilled on
     * @param heldOut garments dropped because {@code held-out.txt} lists them
     * @param mean decoder-distillation metrics averaged over the steps
     * @param canvas the model's canvas side in px
     * @param encoderError the own encoder's relative feature error after its distillation (on up to
     *     16 training garments), NaN without an own encoder
     * @param subPixel whether the student has the sub-pixel head ({@link StudentConfig#forCanvas})
     * @param init what the start from the teacher's weights copied and factorised ({@link TeacherInit})
     */
    public record Result(
            Path student,
            int garments,
            int heldOut,
            DistillMetrics mean,
            int canvas,
            double encoderError,
            boolean subPixel,
            TeacherInit.Report init) {
        public boolean ownEncoder() {
            return !Double.isNaN(encoderError);
        }
    }

    /** Progress steps of a run: the decoder's, plus the encoder's with an own encoder. */
    public static long totalSteps(int steps, int encoderSteps, boolean ownEncoder) {
        return steps + (ownEncoder ? encoderSteps : 0);
    }

    /**
     * @param garments base name → garment on the model's canvas (see {@link ModelDir#canvas()}), in [0,1]
     * @param steps decoder distillation steps (≥ 1)
     * @param own whether the student gets its own encoder
     * @param encoderSteps its distillation steps (≥ 1; unused without an own encoder)
     * @param progress one step per distillation step, encoder steps included ({@link #totalSteps})
     * @throws IllegalArgumentException when fewer than 2 garments remain or a garment is not on the canvas
     */
    public static Result run(
            ModelDir dir,
            SortedMap<String, float[]> garments,
            int steps,
            OwnEncoder own,
            int encoderSteps,
            long seed,
            Progress progress)
            throws IOException {
        if (steps < 1 || encoderSteps < 1) {
            throw new IllegalArgumentException(
                    "distillation needs at least 1 step, got " + steps + " (encoder: " + encoderSteps + ")");
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
        try (SketchGan teacher = dir.loadModel()) {
            boolean ownEncoder =
                    own.resolve(teacher.config().canvas(), teacher.encoder().kind());
            StudentConfig config = StudentConfig.forCanvas(teacher.config().canvas());
            try (SketchStudent student = ownEncoder
                    ? SketchStudent.createWithEncoder(teacher, config, seed)
                    : SketchStudent.create(teacher, config, seed)) {
                TeacherInit.Report init = TeacherInit.apply(student);
                double encoderError = Double.NaN;
                if (ownEncoder) {
                    EncoderDistiller enc = new EncoderDistiller(student, train, 16, ENCODER_LR, seed);
                    enc.distill(encoderSteps, l -> progress.step());
                    encoderError = enc.error(train.subList(0, Math.min(16, train.size())));
                }
                DistillMetrics mean;
                try (StudentDistiller distiller = StudentDistiller.builder()
                        .setStudent(student)
                        .setGarments(train)
                        .optSettings(DistillSettings.defaults(seed))
                        .build()) {
                    mean = distiller.distill(steps, m -> progress.step());
                }
                student.fitToneCurve(train);
                student.save(tmp, Map.of("steps", Integer.toString(steps), "garments", Integer.toString(train.size())));
                Files.move(tmp, dir.student(), StandardCopyOption.REPLACE_EXISTING);
                return new Result(
                        dir.student(),
                        train.size(),
                        dropped,
                        mean,
                        teacher.config().canvas(),
                        encoderError,
                        config.subPixel(),
                        init);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
