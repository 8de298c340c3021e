package dev.atelier.sketch.student;

/**
 * CPU latency per sketch, teacher and student measured side by side in one JVM.
 *
 * @param teacherMs     median milliseconds per sketch of the teacher
 * @param studentMs     median milliseconds per sketch of the student
 * @param teacherBestMs fastest run of the teacher, per sketch (least disturbed by other load)
 * @param studentBestMs fastest run of the student, per sketch
 * @param scope         what a timed run covers
 * @param batch         sketches per forward pass (1 for the report's {@code generation_ms})
 * @param warmup        untimed runs of each model before measuring
 * @param runs          timed runs of each model
 */
public record Latency(
        double teacherMs,
        double studentMs,
        double teacherBestMs,
        double studentBestMs,
        LatencyBench.Scope scope,
        int batch,
        int warmup,
        int runs) {

    /** {@code teacherMs / studentMs}. */
    public double speedup() {
        return teacherMs / studentMs;
    }
}
