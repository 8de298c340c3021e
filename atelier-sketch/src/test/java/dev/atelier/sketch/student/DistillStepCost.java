package dev.atelier.sketch.student;

import dev.atelier.sketch.model.SketchGan;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;

/**
 * CPU milliseconds of one distillation step (batch 16, default weights, 32 px, seeded random
 * teacher) with and without the per-garment target cache ({@link TeacherTargets}), alternating the
 * two in one JVM. Thread CPU time rather than wall time, because the shared machine's load makes wall
 * time meaningless; with one PyTorch thread the engine computes on the calling thread.
 *
 * <pre>
 *   java -Dai.djl.pytorch.num_threads=1 -cp CP dev.atelier.sketch.student.DistillStepCost [steps] [garments] [width div] [down div]
 * </pre>
 */
public final class DistillStepCost {
    private DistillStepCost() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        // optional width and pooled-skip divisors of the student (StudentConfig; default 4 4)
        StudentConfig config = StudentConfig.defaults()
                .withWidthDivisor(args.length > 2 ? Integer.parseInt(args[2]) : 4)
                .withDownDivisor(args.length > 3 ? Integer.parseInt(args[3]) : 4);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<float[]> garments = StudentFixtures.garments(0, n);
        double[] cpu = new double[2];
        for (int rep = 0; rep < 2; rep++) {
            for (int mode = 0; mode < 2; mode++) {
                boolean cached = (mode + rep) % 2 == 0;
                try (SketchGan teacher = StudentFixtures.teacher(3);
                        SketchStudent student = SketchStudent.create(teacher, config, 5);
                        StudentDistiller d = StudentDistiller.builder()
                                .setStudent(student)
                                .setGarments(garments)
                                .optCacheTargets(cached)
                                .optSettings(DistillSettings.defaults(9))
                                .build()) {
                    long t0 = mx.getCurrentThreadCpuTime();
                    d.distill(steps, null); // the cache is built inside, so its cost is included
                    cpu[cached ? 0 : 1] += (mx.getCurrentThreadCpuTime() - t0) / 1e6 / steps / 2;
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "CPU ms per step (%d steps, %d garments, width/down divisor %d/%d, cache build included): cached %.1f,"
                        + " recomputed %.1f,"
                        + " ratio %.2f%n",
                steps,
                n,
                config.widthDivisor(),
                config.downDivisor(),
                cpu[0],
                cpu[1],
                cpu[1] / cpu[0]);
    }
}
