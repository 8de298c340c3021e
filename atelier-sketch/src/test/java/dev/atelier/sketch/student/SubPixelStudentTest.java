package dev.atelier.sketch.student;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.atelier.core.util.Progress;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.ModelDir;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.SketchPairs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sub-pixel student: no full-canvas feature map, depth-to-space order, style card of scales 2..K, round trip. */
class SubPixelStudentTest {
    @Test
    void depthToSpacePutsChannelTwoAPlusBAtSubPixelAB() {
        try (NDManager m = NDManager.newBaseManager()) {
            // [1, 4, 1, 2]: channel c holds 10*c + column
            float[] v = {0, 1, 10, 11, 20, 21, 30, 31};
            NDArray out = SubPixelDecoder.depthToSpace(m.create(v, new Shape(1, 4, 1, 2)));
            assertThat(out.getShape()).isEqualTo(new Shape(1, 1, 2, 4));
            // row 0: (a=0,b=0) (0,1) of column 0, then of column 1; row 1: channels 2, 3
            assertThat(out.toFloatArray()).containsExactly(0, 10, 1, 11, 20, 30, 21, 31);
        }
    }

    @Test
    void ownEncoderSkipsTheFullCanvasAndTheSketchKeepsIt() {
        SketchPairs d = TestModels.designer(Styles.CONTOUR, 0, 4);
        List<float[]> big = d.sketches().stream()
                .map(s -> StudentEncoderTest.enlarge(s, 32, 4))
                .toList();
        StudentConfig config = StudentConfig.forCanvas(128);
        assertThat(config.subPixel()).isTrue();
        assertThat(StudentConfig.forCanvas(64).subPixel()).isFalse();
        try (SketchGan teacher = TestModels.model(SketchGanConfig.defaults().withCanvas(128), 1, big);
                SketchStudent sub = SketchStudent.createWithEncoder(teacher, config, 2);
                SketchStudent full = SketchStudent.createWithEncoder(teacher, config.withSubPixel(false), 2);
                NDManager sm = sub.manager().newSubManager()) {
            NDArray x = Images.batch(sm, big.subList(0, 2), new int[] {0, 1});
            NDList f = sub.encode(x);
            assertThat(f.getShapes())
                    .containsExactly(new Shape(2, 32, 64, 64), new Shape(2, 64, 32, 32), new Shape(2, 128, 16, 16));
            assertThat(sub.generate(x, false).getShape()).isEqualTo(new Shape(2, 1, 128, 128));
            // the stem (4x4/2, 1->16) replaces stage 1 (3x3, 1->16 at full size): by hand
            long stem = 64L * 64 * 16 * 16;
            long stage1 = 128L * 128 * 16 * 9;
            assertThat(ModelCosts.student(sub).encoderMacs())
                    .isEqualTo(ModelCosts.student(full).encoderMacs() - stage1 + stem);
            // no block at full resolution: the finest MRFM block and the full-size output conv are gone
            assertThat(ModelCosts.student(sub).decoderMacs())
                    .isLessThan(ModelCosts.student(full).decoderMacs() * 7 / 10);

            // the student's AdaIN uses the teacher's card entries of scales 2..K
            NDList tf = teacher.encode(x);
            NDList mine = sub.stylise(sub.fromTeacherScales(tf));
            NDList theirs = teacher.stylise(tf);
            for (int s = 0; s < mine.size(); s++) {
                float[] a = mine.get(s).toFloatArray();
                float[] b = theirs.get(s + 1).toFloatArray();
                assertThat(a).hasSameSizeAs(b);
                for (int i = 0; i < a.length; i += 97) {
                    assertThat(a[i]).isCloseTo(b[i], within(1e-5f));
                }
            }
        }
    }

    @Test
    void distilsAndRoundTripsThroughItsCheckpoint(@TempDir Path tmp) throws Exception {
        SketchPairs d = TestModels.designer(Styles.HATCH, 0, 24);
        StudentConfig config = StudentConfig.defaults().withSubPixel(true);
        try (SketchGan teacher = TestModels.model(SketchGanConfig.defaults(), 1, d.sketches());
                SketchStudent student = SketchStudent.createWithEncoder(teacher, config, 2)) {
            EncoderDistiller enc = new EncoderDistiller(student, d.garments(), 8, 3e-3f, 5);
            List<float[]> probe = d.garments().subList(0, 8);
            double before = enc.error(probe);
            enc.distill(30, null);
            assertThat(enc.error(probe)).isLessThan(before);
            double first;
            double last;
            try (StudentDistiller distiller = StudentDistiller.builder()
                    .setStudent(student)
                    .setGarments(d.garments())
                    .optSettings(DistillSettings.defaults(3).withBatchSize(4))
                    .build()) {
                first = distiller.distill(3, null).l1();
                distiller.distill(20, null);
                last = distiller.distill(3, null).l1();
            }
            assertThat(last)
                    .as("pixel L1 vs the teacher: first 3 steps %.3f, last 3 %.3f", first, last)
                    .isLessThan(first);
            float[][] out = student.generate(new float[][] {d.garments().get(0)});
            assertThat(out[0]).hasSize(32 * 32);
            Path file = tmp.resolve("student.safetensors");
            student.save(file, Map.of());
            try (SketchStudent loaded = SketchStudent.load(file, teacher)) {
                assertThat(loaded.config().subPixel()).isTrue();
                assertThat(loaded.hasOwnEncoder()).isTrue();
                assertThat(loaded.generate(new float[][] {d.garments().get(0)})[0])
                        .containsExactly(out[0]);
            }
        }
    }

    @Test
    void modelDirectoryDistillationAt128PxWritesASubPixelStudentThatLoadsBack(@TempDir Path tmp) throws Exception {
        SketchPairs d = TestModels.designer(Styles.CONTOUR, 0, 6);
        List<float[]> big = d.sketches().stream()
                .map(s -> StudentEncoderTest.enlarge(s, 32, 4))
                .toList();
        SortedMap<String, float[]> garments = new TreeMap<>();
        for (int i = 0; i < d.garments().size(); i++) {
            float[] g = Images.to32(d.garments().get(i));
            garments.put("look-" + i, StudentEncoderTest.enlarge(g, 32, 4));
        }
        ModelDir dir = new ModelDir(tmp);
        try (SketchGan teacher = TestModels.model(SketchGanConfig.defaults().withCanvas(128), 1, big)) {
            teacher.save(dir.model(), Map.of());
        }
        ModelDirDistillation.Result r = ModelDirDistillation.run(
                dir, garments, 2, ModelDirDistillation.OwnEncoder.AUTO, 2, 3, Progress.silent(4));
        assertThat(r.ownEncoder()).isTrue();
        assertThat(r.subPixel()).isTrue();
        assertThat(r.canvas()).isEqualTo(128);
        try (SketchGan teacher = dir.loadModel();
                SketchStudent loaded = SketchStudent.load(dir.student(), teacher)) {
            assertThat(loaded.config().subPixel()).isTrue();
            assertThat(loaded.hasOwnEncoder()).isTrue();
            float[][] out = loaded.generate(new float[][] {garments.get("look-0")});
            assertThat(out[0]).hasSize(128 * 128);
            for (float v : out[0]) {
                assertThat(v).isBetween(0f, 1f);
            }
        }
    }
}
