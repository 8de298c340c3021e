package dev.atelier.sketch.fed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.StrategySpec;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.WorkloadProvider;
import dev.atelier.core.workload.WorkloadRegistry;
import dev.atelier.sketch.model.ModelDir;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.SketchPairs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A federation of deployed-style sketch nodes on a 64 px canvas, set once in the run's workload settings. */
class CanvasFederationTest {
    private static final WorkloadProvider PROVIDER = WorkloadRegistry.get("sketch");

    /** n pairs at twice the Fashion-MNIST size: garments 56×56 (the 64 canvas' content), sketches 64×64. */
    static Path folder64(Path dir, Styles style, int from, int n) throws Exception {
        SketchPairs d = TestModels.designer(style, from, n);
        for (int i = 0; i < n; i++) {
            SketchWorkloadProviderTest.writePng(
                    dir.resolve("images/look-" + i + ".png"),
                    doubled(d.garments().get(i), 28),
                    56);
            SketchWorkloadProviderTest.writePng(
                    dir.resolve("sketches/look-" + i + ".png"),
                    doubled(d.sketches().get(i), 32),
                    64);
        }
        return dir;
    }

    /** Nearest-neighbour 2× of a side×side image. */
    static float[] doubled(float[] img, int side) {
        float[] out = new float[4 * side * side];
        for (int y = 0; y < 2 * side; y++) {
            for (int x = 0; x < 2 * side; x++) {
                out[y * 2 * side + x] = img[(y / 2) * side + x / 2];
            }
        }
        return out;
    }

    @Test
    void aRoundAt64PixelsTrainsEveryNodeOnItsCanvasAndEachSavedModelRecordsIt(@TempDir Path tmp) throws Exception {
        Config cfg = SketchWorkloadProviderTest.config(tmp).with(SketchKeys.CANVAS, 64);
        ParamSet initial = PROVIDER.initialParameters(cfg);
        List<Node> nodes = new ArrayList<>();
        try {
            nodes.add(PROVIDER.createNode(
                    "ada", folder64(tmp.resolve("ada"), Styles.CONTOUR, 0, 6), tmp.resolve("ada-state"), cfg));
            nodes.add(PROVIDER.createNode(
                    "hugo", folder64(tmp.resolve("hugo"), Styles.HATCH, 40, 6), tmp.resolve("hugo-state"), cfg));
            for (Node n : nodes) {
                SketchWorkload w = (SketchWorkload) n.workload();
                assertThat(w.trainer().model().config().canvas()).isEqualTo(64);
                assertThat(w.trainer().data().canvas()).isEqualTo(64);
                assertThat(w.trainer().data().garments().get(0)).hasSize(64 * 64);
            }
            Run.Result result;
            try (InProcessTransport transport = new InProcessTransport(nodes)) {
                Config train = Config.of(Map.of(TrainKeys.LOCAL_STEPS, 1));
                result = Run.builder()
                        .setConfig(new RunConfig("canvas-64", 1, 2, Duration.ofMinutes(5), 1, Map.of()))
                        .setStrategy(new StrategySpec.FedAvgSpec().create(new Sampling(1.0, 2, 2, 0.0), train))
                        .setTransport(transport)
                        .setInitial(initial)
                        .build()
                        .execute();
            }
            assertThat(result.rounds())
                    .singleElement()
                    .satisfies(r -> assertThat(r.failures()).isEmpty());
            assertThat(result.global().names()).containsExactlyElementsOf(initial.names());
            assertThat(result.global()).isNotEqualTo(initial);
            for (String designer : List.of("ada", "hugo")) {
                ModelDir saved = ModelDir.existing(tmp.resolve(designer + "-state"));
                assertThat(saved.canvas()).as(designer).isEqualTo(64);
                try (SketchGan model = saved.loadModel()) {
                    assertThat(model.generate(new float[][] {new float[64 * 64]})[0])
                            .hasSize(64 * 64);
                }
            }
        } finally {
            nodes.forEach(Node::close);
        }
    }

    @Test
    void aBadCanvasStopsTheCoordinatorAndANodeWithoutAFolderCannotUseALargerOne(@TempDir Path tmp) throws Exception {
        Config cfg = SketchWorkloadProviderTest.config(tmp);
        assertThatThrownBy(() -> PROVIDER.initialParameters(cfg.with(SketchKeys.CANVAS, 60)))
                .hasMessageStartingWith("config 'canvas': canvas side must be a multiple of 8 in 32..512");
        assertThatThrownBy(() -> PROVIDER.initialParameters(cfg.with(SketchKeys.CANVAS, "big")))
                .hasMessage("config 'canvas' must be an integer, got 'big'");
        assertThatThrownBy(() -> PROVIDER.createNode(
                        "n1",
                        null,
                        null,
                        cfg.with(SketchKeys.CANVAS, 64)
                                .with(SketchKeys.DESIGNER, "stella-stipple")
                                .with(SketchKeys.FASHION_MNIST, "fixture")))
                .hasMessageContaining("config 'canvas' is 64 but node n1 has no data folder");
        // the critic reads Gram matrices: the same initial model at every canvas
        assertThat(PROVIDER.initialParameters(cfg.with(SketchKeys.CANVAS, 128)))
                .isEqualTo(PROVIDER.initialParameters(cfg));
    }
}
