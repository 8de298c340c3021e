package dev.atelier.sketch.student;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.GramMatrix;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.train.SketchLosses;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The distiller's Gram term ({@link DistillWeights#gram()}): it pulls the student's style statistics to the teacher's. */
class StudentGramTermTest {

    /** Mean Gram loss between student and teacher sketches of {@code garments}, in the teacher's encoder. */
    static double gramDistance(SketchStudent student, List<float[]> garments) {
        float[][] g = garments.toArray(float[][]::new);
        SketchGan teacher = student.teacher();
        List<float[]> t = Arrays.asList(teacher.generate(g));
        List<float[]> s = Arrays.asList(student.generate(g));
        int[] idx = new int[g.length];
        Arrays.setAll(idx, i -> i);
        try (NDManager m = teacher.manager().newSubManager()) {
            NDArray loss = SketchLosses.gram(
                    GramMatrix.ofAll(teacher.encode(Images.batch(m, s, idx))),
                    GramMatrix.ofAll(teacher.encode(Images.batch(m, t, idx))));
            return loss.getFloat();
        }
    }

    @Test
    void aGramOnlyDistillationLowersTheStudentsGramDistanceToTheTeacher() {
        List<float[]> train = StudentFixtures.garments(0, 64);
        List<float[]> heldOut = StudentFixtures.garments(400, 16);
        DistillWeights gramOnly = new DistillWeights(0, 0, 0, 0, 1000);
        try (SketchGan teacher = StudentFixtures.teacher(3);
                SketchStudent student = SketchStudent.create(teacher, StudentConfig.defaults(), 5);
                StudentDistiller distiller = StudentDistiller.builder()
                        .setStudent(student)
                        .setGarments(train)
                        .optSettings(
                                DistillSettings.defaults(9).withBatchSize(8).withWeights(gramOnly))
                        .build()) {
            double before = gramDistance(student, heldOut);
            DistillMetrics first = distiller.distill(1, null);
            distiller.distill(15, null);
            double after = gramDistance(student, heldOut);
            assertThat(first.total()).as("the Gram term is the whole loss").isPositive();
            assertThat(first.l1()).as("L1 is still reported, unweighted").isPositive();
            assertThat(after)
                    .as("Gram distance before %.3g, after %.3g", before, after)
                    .isLessThan(0.7 * before);
        }
    }

    @Test
    void theDefaultWeightsAndTheFourTermConstructorKeepTheirMeaning() {
        DistillWeights four = new DistillWeights(1, 10, 0, 0.03f);
        assertThat(four.gram()).isZero();
        assertThat(four.withGram(5).gram()).isEqualTo(5f);
        assertThat(four.withGram(5).withL1(2)).isEqualTo(new DistillWeights(1, 2, 0, 0.03f, 5));
        assertThat(DistillWeights.defaults()).isEqualTo(four.withGram(1000));
    }
}
