package dev.atelier.sketch.student;

import dev.atelier.sketch.eval.L1Distance;
import dev.atelier.sketch.eval.Ssim;
import java.util.Arrays;
import java.util.List;

/**
 * How closely a student reproduces its teacher: L1 and SSIM between the two models' sketches of the
 * same garments, both in inference mode, in [0,1] image units. Use held-out garments (neither
 * model's training data) for the numbers a report shows. Agreement with the teacher is not quality
 * against the designer's references; the evaluator measures that.
 *
 * @param l1    mean |student − teacher| per pixel (0 = identical)
 * @param ssim  mean SSIM of student vs teacher sketch (1 = identical), see {@link Ssim}
 * @param count number of garments compared
 */
public record StudentQuality(double l1, double ssim, int count) {

    /** Compares {@code student} with its teacher on {@code garments} (28×28 or 32×32 in [0,1]). */
    public static StudentQuality measure(SketchStudent student, List<float[]> garments) {
        if (garments.isEmpty()) {
            throw new IllegalArgumentException("need at least one garment to compare student and teacher");
        }
        float[][] g = garments.toArray(float[][]::new);
        List<float[]> teacher = Arrays.asList(student.teacher().generate(g));
        List<float[]> pupil = Arrays.asList(student.generate(g));
        return new StudentQuality(L1Distance.mean(pupil, teacher), Ssim.mean(pupil, teacher), g.length);
    }
}
