package dev.atelier.sketch.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.util.Progress;
import dev.atelier.sketch.folder.DesignerFolder;
import dev.atelier.sketch.folder.FolderOptions;
import dev.atelier.sketch.model.ModelDir;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.SketchPairs;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTrainingTest {
    /** n fixture garments (28×28) and their contour sketches (32×32), named g00.., as PNGs. */
    static Path folder(Path dir, int n) throws Exception {
        SketchPairs d = TestModels.designer(Styles.CONTOUR, 0, n);
        for (int i = 0; i < n; i++) {
            write(
                    dir.resolve(String.format("images/g%02d.png", i)),
                    d.garments().get(i),
                    28);
            write(
                    dir.resolve(String.format("sketches/g%02d.png", i)),
                    d.sketches().get(i),
                    32);
        }
        return dir;
    }

    static void write(Path file, float[] px, int side) throws Exception {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < px.length; i++) {
            img.getRaster().setSample(i % side, i / side, 0, Math.round(px[i] * 255));
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    static LocalTraining.Result train(Path data, Path out, int warmup, int gan) throws Exception {
        DesignerFolder f = DesignerFolder.read(data, FolderOptions.defaults());
        LocalTrainSettings s = new LocalTrainSettings(warmup, gan, 4, 3, 2);
        return LocalTraining.run(f, new ModelDir(out), TestModels.encoderParams(), s, Progress.silent(s.totalSteps()));
    }

    @Test
    void trainsHoldsOutEveryTenthPairAndResumes(@TempDir Path tmp) throws Exception {
        Path data = folder(tmp.resolve("data"), 21);
        Path out = tmp.resolve("model");
        LocalTraining.Result first = train(data, out, 2, 2);
        assertThat(first.trainPairs()).isEqualTo(19);
        assertThat(first.heldOut()).containsExactly("g09", "g19");
        assertThat(first.stepsDone()).isEqualTo(4);
        assertThat(first.resumedFrom()).isZero();
        ModelDir dir = ModelDir.existing(out);
        assertThat(Files.readAllLines(dir.heldOut())).containsExactly("g09", "g19");
        TrainingState state = TrainingState.read(dir.trainingState());
        assertThat(state.warmupDone()).isEqualTo(2);
        assertThat(state.ganDone()).isEqualTo(2);
        assertThat(state.trainPairs()).isEqualTo(19);
        try (SketchGan gan = dir.loadModel()) {
            assertThat(gan.generate(new float[][] {new float[1024]})[0]).hasSize(1024);
            assertThat(SketchGan.readMetadata(dir.model())).containsEntry("steps", "4");
            assertThat(gan.toneCurve())
                    .as("her tone curve, fitted before the save")
                    .isNotNull();
        }

        LocalTraining.Result more = train(data, out, 2, 5);
        assertThat(more.resumedFrom()).isEqualTo(4);
        assertThat(more.stepsDone()).isEqualTo(7);
        assertThat(TrainingState.read(dir.trainingState()).ganDone()).isEqualTo(5);

        LocalTraining.Result nothing = train(data, out, 2, 5);
        assertThat(nothing.last()).as("nothing left to run").isNull();
        assertThat(nothing.stepsDone()).isEqualTo(7);

        Files.delete(data.resolve("images/g03.png"));
        Files.delete(data.resolve("sketches/g03.png"));
        assertThatThrownBy(() -> train(data, out, 2, 6)).hasMessageContaining("other held-out pairs");
    }

    @Test
    void unsketchedGarmentsAreTrainedOnAndRecordedInTrainingJson(@TempDir Path tmp) throws Exception {
        Path data = folder(tmp.resolve("data"), 12);
        Files.delete(data.resolve("sketches/g04.png"));
        Files.delete(data.resolve("sketches/g07.png"));
        Path out = tmp.resolve("model");
        DesignerFolder f = DesignerFolder.read(data, FolderOptions.defaults().withUnsketched(true));
        LocalTrainSettings s = new LocalTrainSettings(1, 2, 4, 3, 2);
        LocalTraining.Result r =
                LocalTraining.run(f, new ModelDir(out), TestModels.encoderParams(), s, Progress.silent(s.totalSteps()));
        assertThat(r.trainPairs()).isEqualTo(9);
        TrainingState state = TrainingState.read(ModelDir.existing(out).trainingState());
        assertThat(state.unsketchedGarments()).isEqualTo(2);
        assertThat(state.trainPairs()).isEqualTo(9);
        // a training.json written before the field existed reads as none
        Path old = tmp.resolve("old.json");
        Files.writeString(
                old,
                Files.readString(ModelDir.existing(out).trainingState())
                        .replaceAll("\\s*\"unsketchedGarments\"\\s*:\\s*2\\s*,", ""));
        assertThat(Files.readString(old)).doesNotContain("unsketched");
        assertThat(TrainingState.read(old).unsketchedGarments()).isZero();
    }

    /** {@code px} (side × side) enlarged by an integer factor, nearest neighbour. */
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

    @Test
    void trainsAndGeneratesOnA128PxCanvasStoredInTheModel(@TempDir Path tmp) throws Exception {
        // garments 28 px enlarged to 140 px (scaled to the 112 px content of a 128 canvas),
        // sketches 32 px enlarged to 128 px (exactly the canvas, taken as they are)
        SketchPairs d = TestModels.designer(Styles.CONTOUR, 0, 4);
        Path data = tmp.resolve("data");
        for (int i = 0; i < 4; i++) {
            write(data.resolve("images/g" + i + ".png"), enlarge(d.garments().get(i), 28, 5), 140);
            write(data.resolve("sketches/g" + i + ".png"), enlarge(d.sketches().get(i), 32, 4), 128);
        }
        DesignerFolder f = DesignerFolder.read(data, FolderOptions.defaults().withCanvas(128));
        assertThat(f.pairs().canvas()).isEqualTo(128);
        assertThat(f.pairs().garments().get(0)).hasSize(128 * 128);
        Path out = tmp.resolve("model");
        LocalTrainSettings s = new LocalTrainSettings(1, 1, 2, 3, 2);
        LocalTraining.run(f, new ModelDir(out), TestModels.encoderParams(), s, Progress.silent(s.totalSteps()));

        ModelDir dir = ModelDir.existing(out);
        assertThat(dir.canvas()).isEqualTo(128);
        assertThat(SketchGan.readMetadata(dir.model())).containsEntry("config.canvas", "128");
        float[] garment = dev.atelier.sketch.folder.Canvas.garment(data.resolve("images/g0.png"), false, 128);
        try (SketchGan gan = dir.loadModel()) {
            assertThat(gan.config().canvas()).isEqualTo(128);
            float[] sketch = gan.generate(new float[][] {garment})[0];
            assertThat(sketch).hasSize(128 * 128);
            float lo = 1f;
            float hi = 0f;
            for (float v : sketch) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            assertThat(lo).isGreaterThanOrEqualTo(0f);
            assertThat(hi).isLessThanOrEqualTo(1f).isGreaterThan(lo);
        }
        // a 32 px read of the same folder cannot resume the 128 px model
        DesignerFolder small = DesignerFolder.read(data, FolderOptions.defaults());
        LocalTrainSettings more = new LocalTrainSettings(1, 2, 2, 3, 2);
        assertThatThrownBy(() -> LocalTraining.run(
                        small, dir, TestModels.encoderParams(), more, Progress.silent(more.totalSteps())))
                .hasMessageContaining("128 px model")
                .hasMessageContaining("--canvas 128");
        assertThatThrownBy(() -> LocalEvaluation.run(dir, small, true)).hasMessageContaining("128 px model");
    }

    @Test
    void refusesToOverwriteAModelItDidNotWrite(@TempDir Path tmp) throws Exception {
        Path data = folder(tmp.resolve("data"), 4);
        Path out = Files.createDirectories(tmp.resolve("demo-model"));
        Files.writeString(out.resolve(ModelDir.MODEL), "someone else's");
        assertThatThrownBy(() -> train(data, out, 1, 0)).hasMessageContaining("no training.json");
        assertThatThrownBy(() -> ModelDir.existing(tmp.resolve("nothing")))
                .hasMessageContaining("model.safetensors is missing")
                .hasMessageContaining("sketch train --out");
        assertThat(ParamSet.empty().isEmpty()).isTrue();
    }
}
