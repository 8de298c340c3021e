package dev.atelier.sketch.student;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.SketchPairs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The student's own depthwise-separable encoder: shapes, cost, distillation towards the teacher's, checkpoint round trip. */
class StudentEncoderTest {
    @Test
    void matchesTheTeachersScalesAtAFractionOfItsMacs() {
        SketchPairs d = TestModels.designer(Styles.CONTOUR, 0, 4);
        List<float[]> big = d.sketches().stream().map(s -> enlarge(s, 32, 8)).toList();
        try (SketchGan teacher = TestModels.model(SketchGanConfig.defaults().withCanvas(256), 1, big);
                SketchStudent own = SketchStudent.createWithEncoder(teacher, StudentConfig.defaults(), 2);
                SketchStudent shared = SketchStudent.create(teacher, StudentConfig.defaults(), 2)) {
            assertThat(own.hasOwnEncoder()).isTrue();
            assertThat(shared.hasOwnEncoder()).isFalse();
            assertThat(own.ownEncoder().channels())
                    .containsExactly(teacher.encoder().channels());
            try (NDManager sm = own.manager().newSubManager()) {
                NDList f = own.encode(Images.batch(sm, big.subList(0, 2), new int[] {0, 1}));
                assertThat(f.getShapes())
                        .containsExactly(
                                new Shape(2, 16, 256, 256),
                                new Shape(2, 32, 128, 128),
                                new Shape(2, 64, 64, 64),
                                new Shape(2, 128, 32, 32));
            }
            ModelCost t = ModelCosts.teacher(teacher);
            ModelCost s = ModelCosts.student(own);
            // FeatureNet at 256 px: 3 686 400 MACs at 32 px times 64
            assertThat(t.encoderMacs()).isEqualTo(3_686_400L * 64);
            // stage 1 full 3x3 (1->16), then dw 3x3 + pw 1x1 per stage, by hand
            long byHand = 256L * 256 * 16 * 9
                    + 128L * 128 * (16 * 9 + 16 * 32)
                    + 64L * 64 * (32 * 9 + 32 * 64)
                    + 32L * 32 * (64 * 9 + 64 * 128);
            assertThat(s.encoderMacs()).isEqualTo(byHand);
            assertThat((double) t.encoderMacs() / s.encoderMacs()).isGreaterThan(5);
            assertThat(ModelCosts.student(shared).encoderMacs()).isEqualTo(t.encoderMacs());
        }
    }

    @Test
    void distillationBringsItsMapsTowardsTheTeachersAndTheCheckpointKeepsThem(@TempDir Path tmp) throws Exception {
        SketchPairs d = TestModels.designer(Styles.HATCH, 0, 24);
        try (SketchGan teacher = TestModels.model(SketchGanConfig.defaults(), 1, d.sketches());
                SketchStudent student = SketchStudent.createWithEncoder(teacher, StudentConfig.defaults(), 2)) {
            EncoderDistiller enc = new EncoderDistiller(student, d.garments(), 8, 3e-3f, 5);
            List<float[]> probe = d.garments().subList(0, 8);
            double before = enc.error(probe);
            enc.distill(40, null);
            double after = enc.error(probe);
            assertThat(after)
                    .as("relative feature error %.3f -> %.3f", before, after)
                    .isLessThan(0.5 * before);

            try (StudentDistiller distiller = StudentDistiller.builder()
                    .setStudent(student)
                    .setGarments(d.garments())
                    .optSettings(DistillSettings.defaults(3).withBatchSize(4))
                    .build()) {
                distiller.distill(2, null);
            }
            float[][] out = student.generate(new float[][] {d.garments().get(0)});
            Path file = tmp.resolve("student.safetensors");
            student.save(file, Map.of());
            try (SketchStudent loaded = SketchStudent.load(file, teacher)) {
                assertThat(loaded.hasOwnEncoder()).isTrue();
                assertThat(loaded.generate(new float[][] {d.garments().get(0)})[0])
                        .containsExactly(out[0]);
            }
            assertThatThrownBy(() -> new EncoderDistiller(
                            SketchStudent.create(teacher, StudentConfig.defaults(), 1), d.garments(), 8, 1e-3f, 1))
                    .hasMessageContaining("createWithEncoder");
        }
    }

    static float[] enlarge(float[] px, int side, int factor) {
        int big = side * factor;
        float[] out = new float[big * big];
        for (int y = 0; y < big; y++) {
            for (int x = 0; x < big; x++) {
                out[y * big + x] = px[(y / factor) * side + x / factor];
            }
        }
        return out;
    }
}
