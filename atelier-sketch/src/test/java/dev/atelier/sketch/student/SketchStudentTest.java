package dev.atelier.sketch.student;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.DecoderOutputs;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.ToneCurve;
import dev.atelier.sketch.style.Styles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SketchStudentTest {
    private static SketchGan teacher;

    @BeforeAll
    static void setUp() {
        teacher = StudentFixtures.teacher(7);
    }

    @AfterAll
    static void tearDown() {
        teacher.close();
    }

    private static NDArray batch(NDManager m, int n) {
        int[] idx = new int[n];
        java.util.Arrays.setAll(idx, i -> i);
        return Images.batch(m, StudentFixtures.garments(100, n), idx);
    }

    @Test
    void studentAndTeacherDecodersHaveMatchingScalesAndSketchShape() {
        try (SketchStudent student = SketchStudent.create(teacher, StudentConfig.defaults(), 3);
                NDManager m = student.manager().newSubManager()) {
            NDList stylised = teacher.stylise(teacher.encode(batch(m, 3)));
            DecoderOutputs s = student.decode(stylised, false);
            DecoderOutputs t = teacher.generator().decode(teacher.store(), stylised, false);
            assertThat(s.features())
                    .extracting(NDArray::getShape)
                    .containsExactly(
                            new Shape(3, 32, 4, 4),
                            new Shape(3, 16, 8, 8),
                            new Shape(3, 8, 16, 16),
                            new Shape(3, 4, 32, 32));
            assertThat(t.features())
                    .extracting(NDArray::getShape)
                    .containsExactly(
                            new Shape(3, 64, 4, 4),
                            new Shape(3, 32, 8, 8),
                            new Shape(3, 16, 16, 16),
                            new Shape(3, 8, 32, 32));
            assertThat(student.decoderWidths()).containsExactly(4, 8, 16, 32);
            assertThat(teacher.generator().widths()).containsExactly(8, 16, 32, 64);
            assertThat(s.sketch().getShape()).isEqualTo(new Shape(3, 1, 32, 32));
            float[] v = s.sketch().toFloatArray();
            for (float x : v) {
                assertThat(x).isBetween(-1f, 1f);
            }
            assertThat(student.generate(batch(m, 2), false).getShape()).isEqualTo(new Shape(2, 1, 32, 32));
        }
    }

    @Test
    void perScaleDecodeReproducesTheTeachersSketch() {
        try (NDManager m = teacher.manager().newSubManager()) {
            NDArray x = batch(m, 4);
            NDArray viaTap = teacher.generator()
                    .decode(teacher.store(), teacher.stylise(teacher.encode(x)), false)
                    .sketch();
            NDArray direct = teacher.generate(x, false);
            float[] a = viaTap.toFloatArray();
            float[] b = direct.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertThat(a[i]).isEqualTo(b[i]);
            }
        }
    }

    @Test
    void everyThreeByThreeConvolutionIsDepthwise() {
        try (SketchStudent student = SketchStudent.create(teacher, StudentConfig.defaults(), 3)) {
            Map<String, Parameter> p = student.parameters();
            assertThat(p.keySet()).allMatch(n -> n.startsWith("student."));
            List<String> spatial = p.entrySet().stream()
                    .filter(e -> e.getValue().getArray().getShape().dimension() == 4
                            && e.getValue().getArray().getShape().get(2) > 1)
                    .map(Map.Entry::getKey)
                    .toList();
            // The position map [1, 8, 32, 32] is the one 4-d parameter that is no convolution.
            assertThat(p.get("student.position").getArray().getShape()).isEqualTo(new Shape(1, 8, 32, 32));
            spatial =
                    spatial.stream().filter(n -> !n.equals("student.position")).toList();
            assertThat(spatial)
                    .containsExactlyInAnyOrder(
                            "student.block3.down.conv.dw.weight",
                            "student.block3.conv.dw.weight",
                            "student.block2.down.conv.dw.weight",
                            "student.block2.conv.dw.weight",
                            "student.block1.down.conv.dw.weight",
                            "student.block1.conv.dw.weight",
                            "student.out.dw.weight");
            for (String n : spatial) {
                Shape s = p.get(n).getArray().getShape();
                assertThat(s.get(1)).as(n).isEqualTo(1);
                assertThat(s.get(2)).as(n).isEqualTo(3);
            }
            // block1 conv: up(concat(prev 8, down 4)) + the 8-channel position map = 20 channels, one 3×3 filter each.
            assertThat(p.get("student.block1.conv.dw.weight").getArray().getShape())
                    .isEqualTo(new Shape(20, 1, 3, 3));
            assertThat(MacCounter.layers(student.decoder(), "student").stream()
                            .filter(l -> l.path().endsWith(".dw")))
                    .hasSize(7)
                    .allMatch(l -> l.kind().equals("conv(groups=" + l.input().get(0) + ")"));
        }
    }

    /**
     * Hand counts for the FeatureNet encoder (16, 32, 64, 128 channels at 32, 16, 8, 4):
     * teacher decoder 131072 + 3·(294912 + 3538944 + 131072) + 73728 = 12099584;
     * student decoder 65536 + 315392 + 352256 + 425984 + 40960 = 1200128 (see docs/student.md); the
     * default 8-channel position map adds the finest conv's inputs: teacher 8·16·9·1024 = 1179648, student
     * 8·9·1024 + 8·16·1024 = 204800.
     */
    @Test
    void studentCostsAFractionOfTheTeacher() {
        try (SketchStudent student = SketchStudent.create(teacher, StudentConfig.defaults(), 3)) {
            ModelCost t = ModelCosts.teacher(teacher);
            ModelCost s = ModelCosts.student(student);
            assertThat(t.decoderMacs()).isEqualTo(12_099_584L + 1_179_648L);
            assertThat(s.decoderMacs()).isEqualTo(1_200_128L + 204_800L);
            assertThat(t.encoderMacs()).isEqualTo(s.encoderMacs()).isEqualTo(3_686_400L);
            assertThat(t.styleParams()).isEqualTo(s.styleParams()).isEqualTo(480L);
            assertThat(t.encoderParams()).isEqualTo(s.encoderParams());
            assertThat(t.decoderParams()).isEqualTo(teacher.generatorWeightCount());
            // without the position map, which both hold whole (8,192 values: a per-pixel bias, not capacity)
            long map = 8L * 32 * 32;
            assertThat((double) (s.decoderParams() - map) / (t.decoderParams() - map))
                    .isLessThan(0.15);
            assertThat((double) s.decoderMacs() / t.decoderMacs()).isLessThan(0.11);
            assertThat((double) s.params() / t.params()).isLessThan(0.2);
            assertThat((double) s.macs() / t.macs()).isLessThan(0.35);
        }
    }

    @Test
    void saveAndLoadRoundTripUnderStudentNames(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("student.safetensors");
        float[][] garments = StudentFixtures.garments(200, 5).toArray(float[][]::new);
        try (SketchStudent student =
                SketchStudent.create(teacher, StudentConfig.defaults().withWidthDivisor(8), 11)) {
            float[][] before = student.generate(garments);
            student.save(file, Map.of("designer", "ada"));
            ParamSet stored = Safetensors.read(file);
            assertThat(stored.names())
                    .allMatch(n -> n.startsWith("student."))
                    .contains("student.block1.fuse.bn.runningMean");
            assertThat(SketchGan.readMetadata(file))
                    .containsEntry("format", SketchStudent.FORMAT)
                    .containsEntry("designer", "ada")
                    .containsEntry("config.width_divisor", "8");
            try (SketchStudent loaded = SketchStudent.load(file, teacher)) {
                assertThat(loaded.config()).isEqualTo(student.config());
                assertThat(loaded.params()).isEqualTo(student.params());
                assertThat(loaded.generate(garments)).isDeepEqualTo(before);
            }
        }
    }

    /**
     * The student draws through the teacher's tone curve until it has its own, fitted on garments
     * alone onto the teacher's finished sketches; its own curve is saved and loaded with it.
     */
    @Test
    void theStudentsToneCurveIsTheTeachersUntilItFitsItsOwnAndTravelsInItsFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("student.safetensors");
        List<float[]> garments = StudentFixtures.garments(200, 8);
        float[][] g = garments.toArray(float[][]::new);
        List<float[]> hers = garments.stream().map(Styles.CONTOUR::render).toList();
        try (SketchStudent student =
                SketchStudent.create(teacher, StudentConfig.defaults().withWidthDivisor(8), 12)) {
            float[][] raw = student.generate(g);
            assertThat(student.toneCurve()).isNull();
            ToneCurve teachers = teacher.fitToneCurve(garments, hers);
            try {
                assertThat(student.toneCurve()).isSameAs(teachers);
                float[][] viaTeacher = student.generate(g);
                assertThat(viaTeacher[0][0]).isEqualTo(teachers.apply(raw[0][0]));

                ToneCurve own = student.fitToneCurve(garments);
                assertThat(student.toneCurve()).isSameAs(own).isNotSameAs(teachers);
                assertThat(teacher.toneCurve()).isSameAs(teachers); // the fit left the teacher as it was
                float[][] toned = student.generate(g);
                for (int i = 0; i < g.length; i++) {
                    for (int j = 0; j < raw[i].length; j++) {
                        assertThat(toned[i][j]).isEqualTo(own.apply(raw[i][j]));
                    }
                }
                // its pixels now follow the teacher's finished tones: the medians agree
                assertThat(median(toned)).isCloseTo(median(teacher.generate(g)), within(0.05f));

                student.save(file, Map.of());
                assertThat(Safetensors.read(file).names()).contains(ToneCurve.IN, ToneCurve.OUT);
                try (SketchStudent loaded = SketchStudent.load(file, teacher)) {
                    assertThat(loaded.toneCurve().outputs()).containsExactly(own.outputs());
                    assertThat(loaded.generate(g)).isDeepEqualTo(toned);
                }
            } finally {
                teacher.setToneCurve(null); // the shared fixture teacher stays untoned for the other tests
            }
        }
    }

    private static float median(float[][] sketches) {
        float[] all = new float[sketches.length * sketches[0].length];
        for (int i = 0; i < sketches.length; i++) {
            System.arraycopy(sketches[i], 0, all, i * sketches[0].length, sketches[0].length);
        }
        java.util.Arrays.sort(all);
        return all[all.length / 2];
    }

    @Test
    void loadRejectsOtherFilesNamingThem(@TempDir Path dir) throws IOException {
        Path gan = dir.resolve("gan.safetensors");
        teacher.save(gan, Map.of());
        assertThatThrownBy(() -> SketchStudent.load(gan, teacher))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(gan.toString())
                .hasMessageContaining("not a sketch student checkpoint");
        Path bad = studentFile(dir.resolve("bad.safetensors"), "student.nope", "featurenet", "16,32,64,128");
        assertThatThrownBy(() -> SketchStudent.load(bad, teacher))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("student.nope");
        Path other = studentFile(dir.resolve("other.safetensors"), "student.x", "vgg16", "64,128");
        assertThatThrownBy(() -> SketchStudent.load(other, teacher))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("vgg16");
    }

    /** A file with student-checkpoint metadata for {@code encoder} holding one 1-element tensor {@code param}. */
    private static Path studentFile(Path f, String param, String encoder, String channels) throws IOException {
        Safetensors.write(
                ParamSet.builder().putF32(param, new long[] {1}, new float[1]).build(),
                Map.of("format", SketchStudent.FORMAT, "encoder", encoder, "encoder_channels", channels),
                f);
        return f;
    }
}
