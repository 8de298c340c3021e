package dev.atelier.sketch.student;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.sketch.model.SketchGan;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyBenchTest {

    @Test
    void medianOfOddAndEvenSamples() {
        assertThat(LatencyBench.medianMs(new long[] {5_000_000, 1_000_000, 3_000_000}))
                .isEqualTo(3.0);
        assertThat(LatencyBench.medianMs(new long[] {4_000_000, 1_000_000, 2_000_000, 100_000_000}))
                .isEqualTo(3.0);
    }

    @Test
    void measuresBothModelsEndToEndAndDecoderOnly() {
        try (SketchGan teacher = StudentFixtures.teacher(4);
                SketchStudent student = SketchStudent.create(teacher, StudentConfig.defaults(), 4)) {
            Latency l =
                    LatencyBench.measure(student, StudentFixtures.garments(0, 1).get(0), 3, 9);
            assertThat(l.scope()).isEqualTo(LatencyBench.Scope.END_TO_END);
            assertThat(l.batch()).isEqualTo(1);
            assertThat(l.runs()).isEqualTo(9);
            assertThat(l.teacherMs()).isPositive().isGreaterThanOrEqualTo(l.teacherBestMs());
            assertThat(l.studentMs()).isPositive().isGreaterThanOrEqualTo(l.studentBestMs());
            assertThat(l.speedup()).isEqualTo(l.teacherMs() / l.studentMs());
            List<float[]> four = StudentFixtures.garments(0, 4);
            Latency d = LatencyBench.measure(student, four, LatencyBench.Scope.DECODER, 1, 5);
            assertThat(d.batch()).isEqualTo(4);
            assertThat(d.teacherBestMs()).isPositive();
            assertThat(d.studentBestMs()).isPositive();
            assertThatThrownBy(() -> LatencyBench.measure(student, new float[784], 0, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> LatencyBench.measure(student, List.of(), LatencyBench.Scope.DECODER, 0, 1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
