package dev.atelier.sketch.fed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.core.util.Cancellation;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.WorkloadProvider;
import dev.atelier.core.workload.WorkloadRegistry;
import dev.atelier.ml.data.DataException;
import dev.atelier.sketch.folder.FolderOptions;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.TestModels;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.SketchPairs;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SketchWorkloadProviderTest {
    private static final WorkloadProvider PROVIDER = WorkloadRegistry.get("sketch");

    static void writePng(Path file, float[] pixels, int side) throws IOException {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int v = Math.round(pixels[y * side + x] * 255);
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    static Path folder(Path dir, int n, boolean sameNames) throws IOException {
        SketchPairs d = TestModels.designer(Styles.DETAIL, 300, n);
        for (int i = 0; i < n; i++) {
            writePng(dir.resolve("images/g" + i + ".png"), d.garments().get(i), 28);
            writePng(
                    dir.resolve("sketches/" + (sameNames ? "g" : "s") + i + ".png"),
                    d.sketches().get(i),
                    32);
        }
        return dir;
    }

    static Config config(Path dir) throws IOException {
        Path enc = dir.resolve("public-net.safetensors");
        Safetensors.write(TestModels.encoderParams(), enc);
        return Config.of(Map.of(
                SketchKeys.ENCODER,
                enc.toString(),
                SketchKeys.WARMUP_STEPS,
                1,
                SketchKeys.GAN_BATCH_SIZE,
                4,
                SketchKeys.SEED,
                2));
    }

    @Test
    void coordinatorStartsFromTheSharedCriticOnly() throws Exception {
        ParamSet initial = PROVIDER.initialParameters(Config.of(Map.of(SketchKeys.SEED, 2)));
        assertThat(initial.names())
                .isNotEmpty()
                .allMatch(n -> n.startsWith("disc."))
                .noneMatch(n -> n.contains(".bn."));
        assertThat(PROVIDER.initialParameters(Config.of(Map.of(SketchKeys.SEED, 2))))
                .isEqualTo(initial);
    }

    @Test
    void nodeOnAPairedFolderTrainsRepliesWithTheSharedCriticAndSavesItsModel(@TempDir Path tmp) throws Exception {
        Path data = folder(tmp.resolve("data"), 6, true);
        Path state = tmp.resolve("state");
        Config cfg = config(tmp);
        ParamSet initial = PROVIDER.initialParameters(cfg);
        Node w = PROVIDER.createNode("node-7", data, state, cfg);
        try {
            assertThat(((SketchWorkload) w.workload()).trainer().data().paired())
                    .isTrue();
            assertThat(w.middleware()).hasSize(1);
            Reply r = w.handle(
                    Instruction.train("run", 1, "node-7", Config.of(Map.of(TrainKeys.LOCAL_STEPS, 1)), initial),
                    Cancellation.none());
            assertThat(r.nodeId()).isEqualTo("node-7");
            assertThat(r.params().names()).containsExactlyElementsOf(initial.names());
            assertThat(r.params()).isNotEqualTo(initial);
            assertThat(r.numExamples()).isEqualTo(6);
            assertThat(r.metrics())
                    .containsKeys("d_loss", "g_adv", "gram", "semantic", "content", "l1", "decorr", "prox");
            Reply cards = w.handle(
                    new Instruction("run", 2, "node-7", TaskKind.ANALYTICS, Config.empty(), ParamSet.empty(), null),
                    Cancellation.none());
            assertThat(cards.params().isEmpty())
                    .as("no opt-in: the style card stays home")
                    .isTrue();
            try (SketchGan saved = SketchGan.load(state.resolve(SketchWorkload.MODEL_FILE))) {
                assertThat(saved.generate(new float[][] {new float[784]})[0]).hasSize(1024);
                assertThat(saved.toneCurve())
                        .as("the saved model carries her tone curve")
                        .isNotNull();
            }
        } finally {
            w.close();
        }
    }

    @Test
    void aModelInTheStateFolderIsTrainedOnInsteadOfAFreshOneFromTheRunSeed(@TempDir Path tmp) throws Exception {
        Path data = folder(tmp.resolve("data"), 6, true);
        Config cfg = config(tmp);
        ParamSet initial = PROVIDER.initialParameters(cfg);
        Path state = tmp.resolve("state");
        ParamSet hers;
        try (SketchGan own = TestModels.model(
                dev.atelier.sketch.model.SketchGanConfig.defaults(),
                77,
                TestModels.designer(Styles.DETAIL, 300, 4).sketches())) {
            own.save(state.resolve(SketchWorkload.MODEL_FILE), Map.of("designer", "her"));
            hers = own.generatorParams();
        }
        // her model brings its encoder: preparing the node trains or loads no public feature network
        String home = System.getProperty("user.home");
        System.setProperty("user.home", tmp.resolve("home").toString());
        try {
            PROVIDER.prepareNode(data, state);
        } finally {
            System.setProperty("user.home", home);
        }
        assertThat(tmp.resolve("home")).doesNotExist();
        ParamSet fresh;
        try (Node n = PROVIDER.createNode("node-8", data, null, cfg)) {
            fresh = ((SketchWorkload) n.workload()).trainer().model().generatorParams();
        }
        assertThat(fresh).as("seed 77 differs from the run's seed 2").isNotEqualTo(hers);
        try (Node n = PROVIDER.createNode("node-8", data, state, cfg)) {
            SketchWorkload w = (SketchWorkload) n.workload();
            assertThat(w.trainer().model().generatorParams()).isEqualTo(hers);
            n.handle(
                    Instruction.train("run", 1, "node-8", Config.of(Map.of(TrainKeys.LOCAL_STEPS, 1)), initial),
                    Cancellation.none());
            // her generator is already trained: the run's warm-up step is skipped, only the GAN step runs
            assertThat(w.trainer().steps()).isEqualTo(1);
        }
        // a model on another canvas does not fit the run: refused, naming the file
        try (SketchGan big = TestModels.model(
                dev.atelier.sketch.model.SketchGanConfig.defaults().withCanvas(64),
                77,
                java.util.List.of(new float[64 * 64]))) {
            big.save(state.resolve(SketchWorkload.MODEL_FILE), Map.of());
        }
        assertThatThrownBy(() -> PROVIDER.createNode("node-8", data, state, cfg))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("model.safetensors")
                .hasMessageContaining("64 px canvas")
                .hasMessageContaining("32 px");
    }

    @Test
    void differentNamesAreAnErrorUnlessUnpairedIsAskedForAndCorruptFilesAreNamed(@TempDir Path tmp) throws Exception {
        Path data = folder(tmp.resolve("data"), 4, false);
        assertThatThrownBy(() -> DesignerSources.fromFolder(data, false))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("only 0 garments have a sketch of the same name")
                .hasMessageContaining("images/g0.png")
                .hasMessageContaining("sketches/s3.png")
                .hasMessageContaining("--unpaired");
        SketchPairs unpaired =
                DesignerSources.fromFolder(data, FolderOptions.defaults().withUnpaired(true));
        assertThat(unpaired.paired()).isFalse();
        assertThat(unpaired.garments()).hasSize(4);
        assertThat(unpaired.garments().get(0)).hasSize(1024);
        assertThat(unpaired.sketches().get(0)).hasSize(1024);
        Files.write(data.resolve("sketches/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        assertThatThrownBy(() -> DesignerSources.fromFolder(
                        data, FolderOptions.defaults().withUnpaired(true)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("broken.png");
        assertThatThrownBy(() -> DesignerSources.fromFolder(tmp, false)).hasMessageContaining("images/");
    }

    @Test
    void nodeWithoutDataDrawsItsDefaultDesignerFromFashionMnist(@TempDir Path tmp) throws Exception {
        Config cfg = config(tmp)
                .with(SketchKeys.DESIGNER, "stella-stipple")
                .with(SketchKeys.FASHION_MNIST, "fixture")
                .with(SketchKeys.SHARE_STYLE_CARD, true);
        Node w = PROVIDER.createNode("n1", null, null, cfg);
        try {
            SketchWorkload inner = (SketchWorkload) w.workload();
            assertThat(inner.designer()).isEqualTo("stella-stipple");
            // the default designer's 60 pairs: every 10th is held out for EVALUATE
            assertThat(inner.trainer().data().size()).isEqualTo(54);
            assertThat(inner.heldOut().size()).isEqualTo(6);
            Reply cards = w.handle(
                    new Instruction("run", 0, "n1", TaskKind.ANALYTICS, Config.empty(), ParamSet.empty(), null),
                    Cancellation.none());
            assertThat(cards.params().names()).contains("style.s1.mean", "style.s4.std");
        } finally {
            w.close();
        }
        assertThatThrownBy(() -> PROVIDER.createNode("n2", null, null, cfg.with(SketchKeys.DESIGNER, "nobody")))
                .hasMessageContaining("unknown designer 'nobody'");
    }

    @Test
    void stepsStopBetweenStepsOnceTheTokenIsCancelledAndWarmUpResumes(@TempDir Path tmp) throws Exception {
        Path data = folder(tmp.resolve("data"), 4, true);
        Config cfg = config(tmp).with(SketchKeys.WARMUP_STEPS, 3);
        ParamSet initial = PROVIDER.initialParameters(cfg);
        try (Node node = PROVIDER.createNode("n1", data, null, cfg)) {
            SketchWorkload w = (SketchWorkload) node.workload();
            Cancellation first = Cancellation.none();
            int[] taken = {0};
            w.setStepListener(m -> {
                if (++taken[0] == 2) {
                    first.cancel("round deadline passed");
                }
            });
            Instruction train = Instruction.train("run", 1, "n1", Config.of(Map.of(TrainKeys.LOCAL_STEPS, 4)), initial);
            assertThatThrownBy(() -> node.handle(train, first))
                    .isInstanceOf(java.util.concurrent.CancellationException.class)
                    .hasMessage("round deadline passed");
            // Stopped after 2 of the 3 warm-up steps; no GAN step ran.
            assertThat(w.trainer().steps()).isEqualTo(2);
            w.setStepListener(null);
            Reply r = node.handle(
                    Instruction.train("run", 2, "n1", Config.of(Map.of(TrainKeys.LOCAL_STEPS, 2)), initial),
                    Cancellation.none());
            // The remaining warm-up step, then the round's 2 steps.
            assertThat(w.trainer().steps()).isEqualTo(5);
            assertThat(r.params().names()).containsExactlyElementsOf(initial.names());
        }
    }

    @Test
    void evaluateScoresTheGeneratorOnTheHeldOutTenthOfThePairs(@TempDir Path tmp) throws Exception {
        Path data = folder(tmp.resolve("data"), 20, true);
        Config cfg = config(tmp);
        ParamSet initial = PROVIDER.initialParameters(cfg);
        Node w = PROVIDER.createNode("node-3", data, null, cfg);
        try {
            SketchWorkload inner = (SketchWorkload) w.workload();
            SketchPairs all = DesignerSources.fromFolder(data, false);
            // pairs are sorted by name (g0, g1, g10, g11, ...): positions 9 and 19 are held out
            assertThat(inner.trainer().data().size()).isEqualTo(18);
            assertThat(inner.heldOut().size()).isEqualTo(2);
            assertThat(inner.heldOut().garments().get(0))
                    .isEqualTo(all.garments().get(9));
            assertThat(inner.heldOut().sketches().get(1))
                    .isEqualTo(all.sketches().get(19));
            assertThat(inner.trainer().data().garments())
                    .noneMatch(g -> java.util.Arrays.equals(g, all.garments().get(9)))
                    .noneMatch(g -> java.util.Arrays.equals(g, all.garments().get(19)));

            Reply trained = w.handle(
                    Instruction.train("run", 1, "node-3", Config.of(Map.of(TrainKeys.LOCAL_STEPS, 1)), initial),
                    Cancellation.none());
            assertThat(trained.numExamples()).isEqualTo(18);
            Reply eval = w.handle(
                    new Instruction("run", 1, "node-3", TaskKind.EVALUATE, Config.empty(), initial, null),
                    Cancellation.none());
            assertThat(eval.params().isEmpty()).isTrue();
            assertThat(eval.numExamples()).isEqualTo(2);
            var generated = java.util.Arrays.asList(
                    inner.trainer().generate(inner.heldOut().garments().toArray(new float[0][])));
            assertThat(eval.metrics())
                    .containsOnlyKeys("l1", "ssim")
                    .containsEntry(
                            "l1",
                            dev.atelier.sketch.eval.L1Distance.mean(
                                    generated, inner.heldOut().sketches()))
                    .containsEntry(
                            "ssim",
                            dev.atelier.sketch.eval.Ssim.mean(
                                    generated, inner.heldOut().sketches()));
            assertThat(eval.metrics().get("l1")).isBetween(0.0, 1.0);
        } finally {
            w.close();
        }
    }

    @Test
    void evaluateWithoutHeldOutPairsFailsWithTheReason(@TempDir Path tmp) throws Exception {
        Config cfg = config(tmp);
        Node w = PROVIDER.createNode("node-4", folder(tmp.resolve("data"), 6, true), null, cfg);
        try {
            assertThatThrownBy(() -> w.handle(
                            new Instruction(
                                    "run",
                                    1,
                                    "node-4",
                                    TaskKind.EVALUATE,
                                    Config.empty(),
                                    PROVIDER.initialParameters(cfg),
                                    null),
                            Cancellation.none()))
                    .hasMessageContaining("no held-out pairs")
                    .hasMessageContaining("fewer than 10 pairs");
        } finally {
            w.close();
        }
    }
}
