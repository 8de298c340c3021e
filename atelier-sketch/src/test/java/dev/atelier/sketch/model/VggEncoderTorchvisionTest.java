package dev.atelier.sketch.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.testing.Prerequisite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link VggEncoder} against torchvision itself: {@code src/test/python/vgg16_fixture.py} (Debian's
 * python3-torch 1.13 + python3-torchvision 0.14) writes a randomly initialised VGG-16's
 * {@code features} state dict as safetensors under torchvision's names, and the outputs of
 * torchvision's forward before each of the first four pools on a random 64×64 batch, into
 * {@code target/} (generated, never committed). The Java encoder loaded from that file must give the
 * same maps. Requires python3-torchvision (fails under {@code ATELIER_CI=1} when it is missing).
 */
class VggEncoderTorchvisionTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path OUT = Path.of("target", "vgg16-torchvision-fixture");
    private static final int SIDE = 64;

    @BeforeAll
    static void fixture() throws Exception {
        Prerequisite.require(
                importsTorchvision(),
                "needs Debian's python3-torch and python3-torchvision at " + PYTHON
                        + " (apt-get install -y python3-torchvision)");
        if (Files.isRegularFile(OUT.resolve("reference.safetensors"))
                && Files.isRegularFile(OUT.resolve("vgg16-features.safetensors"))) {
            return;
        }
        Path script = Path.of("src", "test", "python", "vgg16_fixture.py");
        Process p = new ProcessBuilder(
                        PYTHON, script.toString(), OUT.toString(), "--seed", "7", "--side", Integer.toString(SIDE))
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(script + " failed: " + log);
        }
    }

    private static boolean importsTorchvision() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch, torchvision")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void matchesTorchvisionsForwardBeforeEachPool() throws IOException {
        ParamSet ref = Safetensors.read(OUT.resolve("reference.safetensors"));
        Tensor input = ref.get("input");
        assertThat(input.shape()).containsExactly(2, 1, SIDE, SIDE);
        try (NDManager m = NDManager.newBaseManager()) {
            VggEncoder enc = VggEncoder.load(m, OUT.resolve("vgg16-features.safetensors"), 4);
            assertThat(enc.channels()).containsExactly(64, 128, 256, 512);
            assertThat(enc.sizes(SIDE)).containsExactly(64, 32, 16, 8);
            NDList features = enc.features(m.create(input.toFloats(), new Shape(input.shape())));
            for (int b = 0; b < 4; b++) {
                Tensor expected = ref.get("block" + (b + 1));
                NDArray actual = features.get(b);
                assertThat(actual.getShape().getShape()).containsExactly(expected.shape());
                float[] want = expected.toFloats();
                float[] got = actual.toFloatArray();
                double scale = 0;
                for (float v : want) {
                    scale = Math.max(scale, Math.abs(v));
                }
                assertThat(scale).as("block %d is not all zeros", b + 1).isGreaterThan(1e-3);
                double worst = 0;
                for (int i = 0; i < want.length; i++) {
                    worst = Math.max(worst, Math.abs(got[i] - want[i]));
                }
                assertThat(worst / scale)
                        .as("block %d: max |java - torchvision| relative to max |torchvision| (%.3g)", b + 1, scale)
                        .isLessThan(1e-4);
            }
        }
    }

    @Test
    void aTorchvisionFileIsAcceptedAsTheEncoderOfAFreshModel() throws IOException {
        ParamSet weights = Safetensors.read(OUT.resolve("vgg16-features.safetensors"));
        assertThat(weights.contains("features.28.weight"))
                .as("the fixture holds all 13 convs")
                .isTrue();
        try (SketchGan gan = SketchGan.create(weights, SketchGanConfig.defaults(), 1)) {
            assertThat(gan.encoder().kind()).isEqualTo(VggEncoder.KIND);
            assertThat(gan.encoder().channels()).containsExactly(64, 128, 256, 512);
            // block 5 (features.24..28) is not part of the encoder, so the checkpoint omits it
            assertThat(gan.encoder().parameters().names())
                    .contains("encoder.features.21.weight")
                    .doesNotContain("encoder.features.24.weight");
        }
    }
}
