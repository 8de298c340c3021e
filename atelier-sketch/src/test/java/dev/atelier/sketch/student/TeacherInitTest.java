package dev.atelier.sketch.student;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.SketchGan;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TeacherInitTest {
    /** The teacher's widths: width and pooled-skip divisor 2, as the teacher (SketchGanConfig defaults). */
    private static final StudentConfig TEACHER_WIDTHS =
            StudentConfig.defaults().withWidthDivisor(2).withDownDivisor(2);

    private static NDArray batch(NDManager m, int n) {
        int[] idx = new int[n];
        Arrays.setAll(idx, i -> i);
        return Images.batch(m, StudentFixtures.garments(100, n), idx);
    }

    /** Makes every teacher 3×3 conv rank 1 per input channel: W[f,c,:] = W[f,c,4] · W[0,c,:]. */
    private static int makeSeparable(SketchGan teacher) {
        int convs = 0;
        for (Parameter p : teacher.generatorParameters().values()) {
            long[] s = p.getArray().getShape().getShape();
            if (s.length != 4 || s[2] != 3 || s[3] != 3) {
                continue;
            }
            int f = (int) s[0];
            int c = (int) s[1];
            float[] w = p.getArray().toFloatArray();
            float[] r = new float[w.length];
            for (int fi = 0; fi < f; fi++) {
                for (int ci = 0; ci < c; ci++) {
                    for (int j = 0; j < 9; j++) {
                        r[(fi * c + ci) * 9 + j] = w[(fi * c + ci) * 9 + 4] * w[ci * 9 + j];
                    }
                }
            }
            p.getArray().set(r);
            convs++;
        }
        return convs;
    }

    @Test
    void aSeparableTeacherIsReproducedExactly() {
        try (SketchGan teacher = StudentFixtures.teacher(11)) {
            int convs = makeSeparable(teacher);
            try (SketchStudent student = SketchStudent.create(teacher, TEACHER_WIDTHS, 3);
                    NDManager m = student.manager().newSubManager()) {
                TeacherInit.Report r = TeacherInit.apply(student);
                // 3 MRFM blocks × (down, conv) + out
                assertThat(convs).isEqualTo(7);
                assertThat(r.factorised()).isEqualTo(7);
                assertThat(r.kept()).isZero();
                assertThat(r.copied()).isEqualTo(student.parameters().size() - 2 * 7 - 7);
                assertThat(r.energy()).isCloseTo(1.0, within(1e-5));
                NDList stylised = teacher.stylise(teacher.encode(batch(m, 4)));
                float[] s = student.decode(stylised, false).sketch().toFloatArray();
                float[] t = teacher.generator()
                        .decode(teacher.store(), stylised, false)
                        .sketch()
                        .toFloatArray();
                double maxDiff = 0;
                for (int i = 0; i < s.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(s[i] - t[i]));
                }
                assertThat(maxDiff).isLessThan(1e-4);
            }
        }
    }

    @Test
    void aGeneralTeacherKeepsPartOfItsEnergyAndOtherWidthsStayRandom() {
        try (SketchGan teacher = StudentFixtures.teacher(12);
                SketchStudent wide = SketchStudent.create(teacher, TEACHER_WIDTHS, 3);
                SketchStudent narrow = SketchStudent.create(teacher, StudentConfig.defaults(), 3)) {
            TeacherInit.Report r = TeacherInit.apply(wide);
            assertThat(r.factorised()).isEqualTo(7);
            assertThat(r.energy()).isBetween(0.2, 0.999);
            float[] before = narrow.parameters()
                    .get("student.bottom.conv.weight")
                    .getArray()
                    .toFloatArray();
            TeacherInit.Report n = TeacherInit.apply(narrow);
            // half the teacher's widths: no conv fits, only the skip weights α and the narrow BN shapes never match
            assertThat(n.factorised()).isZero();
            assertThat(n.kept()).isPositive();
            assertThat(narrow.parameters()
                            .get("student.bottom.conv.weight")
                            .getArray()
                            .toFloatArray())
                    .containsExactly(before);
        }
    }
}
