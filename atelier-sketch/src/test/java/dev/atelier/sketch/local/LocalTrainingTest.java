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
