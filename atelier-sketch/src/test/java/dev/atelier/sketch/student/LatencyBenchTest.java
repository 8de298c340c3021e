package dev.atelier.sketch.student;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.sketch.model.SketchGan;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bench's measuring loop on scripted fake timed functions (exact, no clock involved): warmup
 * runs are made but not counted, the timed runs alternate which model goes first, and the figures
 * are the median and the minimum of the timed runs per sketch. Then once on the real models.
 */
class LatencyBenchTest {
    private static final long MS = 1_000_000L;

    /** A timed function returning scripted nanoseconds and logging its name on each call. */
    private static LatencyBench.Timed scripted(String name, List<String> log, long... nanos) {
        Deque<Long> left = new ArrayDeque<>();
        for (long n : nanos) {
            left.add(n);
        }
        return () -> {
            log.add(name);
            if (left.isEmpty()) {
                throw new AssertionError(name + " called more often than warmup + runs");
            }
            return left.poll();
        };
    }

    @Test
    void warmupIsRunButNotCountedAndTheTimedRunsAlternateWhichModelGoesFirst() {
        List<String> log = new ArrayList<>();
        // Two warmup runs each, far faster and far slower than any timed run: if either were
        // counted, the minimum or the median would change.
        LatencyBench.Timed teacher = scripted("T", log, 1, 1_000_000 * MS, 5 * MS, 1 * MS, 3 * MS, 9 * MS, 7 * MS);
        LatencyBench.Timed student = scripted("S", log, 1, 1_000_000 * MS, 2 * MS, 4 * MS, 6 * MS, 8 * MS, 10 * MS);

        Latency l = LatencyBench.time(teacher, student, LatencyBench.Scope.END_TO_END, 1, 2, 5);

        assertThat(log).containsExactly("T", "S", "T", "S", "T", "S", "S", "T", "T", "S", "S", "T", "T", "S");
        assertThat(l.teacherMs()).isEqualTo(5.0);
        assertThat(l.teacherBestMs()).isEqualTo(1.0);
        assertThat(l.studentMs()).isEqualTo(6.0);
        assertThat(l.studentBestMs()).isEqualTo(2.0);
        assertThat(l.speedup()).isEqualTo(5.0 / 6.0);
        assertThat(l.warmup()).isEqualTo(2);
        assertThat(l.runs()).isEqualTo(5);
        assertThat(l.batch()).isEqualTo(1);
        assertThat(l.scope()).isEqualTo(LatencyBench.Scope.END_TO_END);
    }

    @Test
    void figuresArePerSketchOfTheBatchAndAnEvenRunCountAveragesTheMiddleTwo() {
        List<String> log = new ArrayList<>();
        LatencyBench.Timed teacher = scripted("T", log, 4 * MS, 1 * MS, 2 * MS, 100 * MS);
        LatencyBench.Timed student = scripted("S", log, 2 * MS, 2 * MS, 6 * MS, 2 * MS);

        Latency l = LatencyBench.time(teacher, student, LatencyBench.Scope.DECODER, 4, 0, 4);

        assertThat(log).hasSize(8).containsOnly("T", "S");
        assertThat(l.teacherMs()).isEqualTo(3.0 / 4); // median (2 + 4) / 2 ms over 4 sketches
        assertThat(l.teacherBestMs()).isEqualTo(1.0 / 4);
        assertThat(l.studentMs()).isEqualTo(2.0 / 4);
        assertThat(l.studentBestMs()).isEqualTo(2.0 / 4);
        assertThat(l.speedup()).isEqualTo(1.5);
        assertThat(l.batch()).isEqualTo(4);
        assertThat(l.scope()).isEqualTo(LatencyBench.Scope.DECODER);
    }

    @Test
    void medianOfOddAndEvenSamples() {
        assertThat(LatencyBench.medianMs(new long[] {5_000_000, 1_000_000, 3_000_000}))
                .isEqualTo(3.0);
        assertThat(LatencyBench.medianMs(new long[] {4_000_000, 1_000_000, 2_000_000, 100_000_000}))
                .isEqualTo(3.0);
    }

    /** The real models run through both scopes the declared number of times; the times are not judged. */
    @Test
    void measuresBothModelsEndToEndAndDecoderOnly() {
        try (SketchGan teacher = StudentFixtures.teacher(4);
                SketchStudent student = SketchStudent.create(teacher, StudentConfig.defaults(), 4)) {
            Latency l =
                    LatencyBench.measure(student, StudentFixtures.garments(0, 1).get(0), 3, 9);
            assertThat(l.scope()).isEqualTo(LatencyBench.Scope.END_TO_END);
            assertThat(l.batch()).isEqualTo(1);
            assertThat(l.runs()).isEqualTo(9);
            assertThat(l.warmup()).isEqualTo(3);
            assertThat(l.teacherMs()).isGreaterThanOrEqualTo(l.teacherBestMs());
            assertThat(l.studentMs()).isGreaterThanOrEqualTo(l.studentBestMs());
            List<float[]> four = StudentFixtures.garments(0, 4);
            Latency d = LatencyBench.measure(student, four, LatencyBench.Scope.DECODER, 1, 5);
            assertThat(d.batch()).isEqualTo(4);
            assertThat(d.scope()).isEqualTo(LatencyBench.Scope.DECODER);
            assertThat(d.runs()).isEqualTo(5);
            assertThatThrownBy(() -> LatencyBench.measure(student, new float[784], 0, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> LatencyBench.measure(student, List.of(), LatencyBench.Scope.DECODER, 0, 1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
