package dev.atelier.sketch.student;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.training.tracker.Tracker;
import dev.atelier.core.params.ParamSet;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StudentDistillerTest {
    private static final int STEPS = 16;

    /** An untrained (seeded random) teacher: what is tested is that the student learns to imitate it. */
    @Test
    void distillationBringsTheStudentCloserToTheTeacher() {
        List<float[]> train = StudentFixtures.garments(0, 64);
        List<float[]> heldOut = StudentFixtures.garments(400, 16);
        try (SketchGan teacher = StudentFixtures.teacher(3);
                SketchStudent student = SketchStudent.create(teacher, StudentConfig.defaults(), 5)) {
            ParamSet teacherBefore = teacher.generatorParams().merge(teacher.discriminatorParams());
            StudentQuality before = StudentQuality.measure(student, heldOut);
            List<DistillMetrics> seen = new ArrayList<>();
            try (StudentDistiller distiller = StudentDistiller.builder()
                    .setStudent(student)
                    .setGarments(train)
                    .optSettings(DistillSettings.defaults(9).withBatchSize(8))
                    .build()) {
                DistillMetrics mean = distiller.distill(STEPS, seen::add);
                assertThat(distiller.steps()).isEqualTo(STEPS);
                assertThat(mean.step()).isEqualTo(STEPS);
            }
            StudentQuality after = StudentQuality.measure(student, heldOut);
            assertThat(seen)
                    .hasSize(STEPS)
                    .extracting(DistillMetrics::step)
                    .startsWith(1L, 2L, 3L)
                    .endsWith((long) STEPS);
            double early = seen.subList(0, 4).stream()
                    .mapToDouble(DistillMetrics::total)
                    .average()
                    .orElseThrow();
            double late = seen.subList(STEPS - 4, STEPS).stream()
                    .mapToDouble(DistillMetrics::total)
                    .average()
                    .orElseThrow();
            assertThat(late).isLessThan(early);
            assertThat(seen).allSatisfy(m -> {
                assertThat(m.feature()).isFinite().isPositive();
                assertThat(m.adversarial()).isFinite().isNotZero();
            });
            assertThat(after.count()).isEqualTo(16);
            assertThat(after.l1()).isLessThan(before.l1() * 0.7);
            assertThat(after.ssim()).isGreaterThan(before.ssim());
            // the teacher, critic included, is untouched by distillation
            assertThat(teacher.generatorParams().merge(teacher.discriminatorParams()))
                    .isEqualTo(teacherBefore);
        }
    }

    @Test
    void extraGarmentsJoinTheSampledPoolAndBadInputsAreRejected() {
        try (SketchGan teacher = StudentFixtures.teacher(2);
                SketchStudent student = SketchStudent.create(teacher, StudentConfig.defaults(), 1)) {
            try (StudentDistiller d = StudentDistiller.builder()
                    .setStudent(student)
                    .setGarments(StudentFixtures.garments(0, 10))
                    .optExtraGarments(StudentFixtures.garments(10, 6))
                    .build()) {
                assertThat(d.garmentCount()).isEqualTo(16);
                assertThat(d.distill(0, null).step()).isZero();
            }
            assertThatThrownBy(() -> StudentDistiller.builder()
                            .setStudent(student)
                            .setGarments(List.of())
                            .build())
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> StudentDistiller.builder()
                            .setStudent(student)
                            .setGarments(List.of(new float[10]))
                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("10 pixels");
        }
        try (SketchGan bare = SketchGan.create(StudentFixtures.randomFeatureNet(2), SketchGanConfig.defaults(), 2);
                SketchStudent student = SketchStudent.create(bare, StudentConfig.defaults(), 1)) {
            assertThatThrownBy(() -> StudentDistiller.builder()
                            .setStudent(student)
                            .setGarments(StudentFixtures.garments(0, 4))
                            .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("style card");
        }
    }

    @Test
    void settingsAreValidated() {
        DistillSettings d = DistillSettings.defaults(1);
        assertThat(d.decaySteps()).isZero();
        assertThatThrownBy(() -> d.withCosineDecay(10, 1f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withBatchSize(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DistillWeights(0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The demo's short run: a cosine over exactly its steps, from its high rate to its final one. */
    @Test
    void shortRunDecaysOverItsOwnSteps() {
        DistillSettings d = DistillSettings.shortRun(60, 3);
        assertThat(d.decaySteps()).isEqualTo(60);
        assertThat(d.seed()).isEqualTo(3);
        assertThat(d.batchSize()).isEqualTo(DistillSettings.defaults(3).batchSize());
        Tracker t = StudentDistiller.tracker(d);
        assertThat(t.getNewValue(0)).isCloseTo(DistillSettings.SHORT_RUN_LR, within(1e-9f));
        assertThat(t.getNewValue(30))
                .isCloseTo((DistillSettings.SHORT_RUN_LR + DistillSettings.SHORT_RUN_FINAL_LR) / 2, within(1e-8f));
        assertThat(t.getNewValue(60)).isCloseTo(DistillSettings.SHORT_RUN_FINAL_LR, within(1e-9f));
        // no steps: a constant rate, nothing to decay over
        assertThat(DistillSettings.shortRun(0, 3).decaySteps()).isZero();
        assertThatThrownBy(() -> DistillSettings.shortRun(-1, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 0");
    }

    /** The learning rate per update: the cosine from lr to finalLr, or constant when decay is off. */
    @Test
    void cosineDecayGoesFromTheRateToTheFinalRateAndAConstantRateStaysPut() {
        DistillSettings d = DistillSettings.defaults(1).withLearningRate(3e-3f).withCosineDecay(6, 1e-4f);
        assertThat(d.decaySteps()).isEqualTo(6);
        Tracker cosine = StudentDistiller.tracker(d);
        assertThat(cosine.getNewValue(0)).isCloseTo(3e-3f, within(1e-9f));
        assertThat(cosine.getNewValue(3)).isCloseTo((3e-3f + 1e-4f) / 2, within(1e-9f)); // middle
        assertThat(cosine.getNewValue(1))
                .isCloseTo((float) (1e-4 + (3e-3 - 1e-4) * (1 + Math.cos(Math.PI / 6)) / 2), within(1e-8f));
        assertThat(cosine.getNewValue(6)).isCloseTo(1e-4f, within(1e-9f)); // end
        assertThat(cosine.getNewValue(50)).isEqualTo(1e-4f); // and it stays there

        // withLearningRate sets a constant rate and drops any decay
        DistillSettings constant = d.withLearningRate(2e-3f);
        assertThat(constant.decaySteps()).isZero();
        Tracker fixed = StudentDistiller.tracker(constant);
        assertThat(fixed.getNewValue(0)).isEqualTo(2e-3f);
        assertThat(fixed.getNewValue(6)).isEqualTo(2e-3f);
        assertThat(fixed.getNewValue(1_000)).isEqualTo(2e-3f);

        try (SketchGan teacher = StudentFixtures.teacher(6);
                SketchStudent student = SketchStudent.create(teacher, StudentConfig.defaults(), 6);
                StudentDistiller distiller = StudentDistiller.builder()
                        .setStudent(student)
                        .setGarments(StudentFixtures.garments(0, 8))
                        .optSettings(
                                DistillSettings.defaults(1).withBatchSize(4).withCosineDecay(3, 1e-4f))
                        .build()) {
            ParamSet before = student.params();
            DistillMetrics m = distiller.distill(3, null);
            assertThat(m.total()).isFinite().isPositive();
            assertThat(student.params()).isNotEqualTo(before);
        }
    }

    /** The per-garment target cache changes the cost of a step, not what it computes. */
    @Test
    void cachedTeacherTargetsGiveTheSameStepsAsRecomputedOnes() {
        List<float[]> train = StudentFixtures.garments(0, 20);
        double[][] runs = new double[2][];
        for (int r = 0; r < 2; r++) {
            boolean cached = r == 0;
            try (SketchGan teacher = StudentFixtures.teacher(3);
                    SketchStudent student = SketchStudent.create(teacher, StudentConfig.defaults(), 5);
                    StudentDistiller distiller = StudentDistiller.builder()
                            .setStudent(student)
                            .setGarments(train)
                            .optCacheTargets(cached)
                            .optSettings(DistillSettings.defaults(9).withBatchSize(4))
                            .build()) {
                assertThat(distiller.cachesTargets()).isEqualTo(cached);
                List<DistillMetrics> seen = new ArrayList<>();
                distiller.distill(3, seen::add);
                runs[r] = seen.stream()
                        .flatMapToDouble(
                                m -> java.util.stream.DoubleStream.of(m.feature(), m.l1(), m.adversarial(), m.total()))
                        .toArray();
            }
        }
        assertThat(runs[0]).hasSize(12);
        for (int i = 0; i < runs[0].length; i++) {
            assertThat(runs[0][i])
                    .as("metric %d", i)
                    .isCloseTo(
                            runs[1][i],
                            org.assertj.core.api.Assertions.within(1e-3 * Math.max(1, Math.abs(runs[1][i]))));
        }
    }
}
