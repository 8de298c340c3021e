package dev.atelier.sketch.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.sketch.folder.DesignerFolder;
import dev.atelier.sketch.folder.FolderOptions;
import dev.atelier.sketch.model.ModelDir;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalEvaluationTest {
    @Test
    void edgeMapIsPaperOnFlatAreasAndInkOnAStep() {
        float[] g = new float[1024];
        for (int y = 0; y < 32; y++) {
            for (int x = 16; x < 32; x++) {
                g[y * 32 + x] = 1f;
            }
        }
        float[] e = LocalEvaluation.edgeMap(g);
        assertThat(e[10 * 32 + 4]).isEqualTo(1f);
        assertThat(e[10 * 32 + 28]).isEqualTo(1f);
        assertThat(e[10 * 32 + 15]).isCloseTo(0f, within(1e-6f));
        assertThat(e[10 * 32 + 16]).isCloseTo(0f, within(1e-6f));
    }

    @Test
    void scoresTheHeldOutPairsAgainstBothBaselines(@TempDir Path tmp) throws Exception {
        Path data = LocalTrainingTest.folder(tmp.resolve("data"), 20);
        Path out = tmp.resolve("model");
        LocalTrainingTest.train(data, out, 2, 1);
        DesignerFolder f = DesignerFolder.read(data, FolderOptions.defaults());
        LocalEvaluation.Result r = LocalEvaluation.run(new ModelDir(out), f, false);
        assertThat(r.pairs()).containsExactly("g09", "g19");
        assertThat(r.meanInSample()).isFalse();
        assertThat(r.scores()).containsOnlyKeys("model", "edges", "mean_sketch");
        r.scores().values().forEach(s -> {
            assertThat(s.l1()).isBetween(0.0, 1.0);
            assertThat(s.ssim()).isBetween(-1.0, 1.0);
        });
        LocalEvaluation.Result every = LocalEvaluation.run(new ModelDir(out), f, true);
        assertThat(every.pairs()).hasSize(20);
        assertThat(every.meanInSample()).isTrue();
        Files.delete(data.resolve("images/g19.png"));
        DesignerFolder fewer = DesignerFolder.read(data, FolderOptions.defaults());
        assertThatThrownBy(() -> LocalEvaluation.run(new ModelDir(out), fewer, false))
                .hasMessageContaining("lacks held-out pairs")
                .hasMessageContaining("g19");
    }
}
