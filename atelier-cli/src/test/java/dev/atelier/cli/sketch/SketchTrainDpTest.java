package dev.atelier.cli.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.cli.CliRun;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.privacy.NoiseCalibration;
import dev.atelier.core.privacy.RdpAccountant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atelier sketch train} with per-sketch DP-SGD of the critic: {@code --target-epsilon} picks
 * the noise multiplier for the planned GAN steps, epsilon and SNR are printed and saved in
 * training.json and the model's metadata, a resume continues the same plan and accounts the earlier
 * steps, and every misuse is a one-line error.
 */
class SketchTrainDpTest {
    @TempDir
    Path tmp;

    private static CliRun train(Path data, Path model, Path encoder, int steps, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "sketch",
                "train",
                "--data",
                data.toString(),
                "--out",
                model.toString(),
                "--encoder",
                encoder.toString(),
                "--warmup",
                "1",
                "--steps",
                Integer.toString(steps),
                "--batch-size",
                "4",
                "--checkpoint-every",
                "2"));
        args.addAll(Arrays.asList(extra));
        return CliRun.of(args.toArray(new String[0]));
    }

    @Test
    void targetEpsilonPicksTheNoiseAndEpsilonIsSavedAndResumed() throws Exception {
        Path data = HerFolder.pairs(tmp, 12);
        Path model = tmp.resolve("model");
        Path enc = HerFolder.encoder(tmp);
        CliRun first = train(data, model, enc, 4, "--target-epsilon", "8");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out())
                .contains("per-sketch DP-SGD of the critic: epsilon")
                .contains("signal-to-noise ratio");
        JsonNode dp = new ObjectMapper()
                .readTree(model.resolve("training.json").toFile())
                .get("dpSgd");
        // 11 training pairs at batch 4: q = 4/11; sigma is the smallest meeting epsilon 8 after 4 steps
        double q = 4.0 / 11;
        double sigma = NoiseCalibration.sigmaForTarget(8, 1e-5, q, 4);
        assertThat(dp.get("samplingRate").asDouble()).isCloseTo(q, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(dp.get("noiseMultiplier").asDouble()).isCloseTo(sigma, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(dp.get("steps").asLong()).isEqualTo(4);
        double eps4 = RdpAccountant.create().compose(q, sigma, 4).spent(1e-5).epsilon();
        assertThat(dp.get("epsilon").asDouble()).isCloseTo(eps4, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(eps4).isBetween(7.0, 8.0 + 1e-9);
        assertThat(dp.get("meanSnr").asDouble()).isPositive().isFinite();
        Map<String, String> meta =
                Safetensors.readWithMetadata(model.resolve("model.safetensors")).metadata();
        assertThat(Double.parseDouble(meta.get("dp_sgd_epsilon")))
                .isCloseTo(eps4, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(meta).containsEntry("dp_sgd_steps", "4").containsEntry("dp_sgd_delta", "1.0E-5");

        // Resume to 6 GAN steps: the same sigma, and epsilon over all 6 steps.
        CliRun again = train(data, model, enc, 6, "--target-epsilon", "8");
        assertThat(again.exitCode()).as(again.err()).isZero();
        JsonNode dp6 = new ObjectMapper()
                .readTree(model.resolve("training.json").toFile())
                .get("dpSgd");
        assertThat(dp6.get("noiseMultiplier").asDouble())
                .isEqualTo(dp.get("noiseMultiplier").asDouble());
        assertThat(dp6.get("steps").asLong()).isEqualTo(6);
        double eps6 = RdpAccountant.create().compose(q, sigma, 6).spent(1e-5).epsilon();
        assertThat(dp6.get("epsilon").asDouble()).isCloseTo(eps6, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(eps6).isGreaterThan(eps4);

        CliRun plainResume = train(data, model, enc, 8);
        assertThat(plainResume.exitCode()).isNotZero();
        assertThat(plainResume.err()).contains("was trained with DP-SGD").contains("--dp-clip 1.0");
        CliRun otherClip = train(data, model, enc, 8, "--target-epsilon", "8", "--dp-clip", "2");
        assertThat(otherClip.exitCode()).isNotZero();
        assertThat(otherClip.err()).contains("resume with the same --dp-clip and --dp-delta");
    }

    @Test
    void misusedDpOptionsAreOneLineErrors() throws Exception {
        Path data = HerFolder.pairs(tmp, 12);
        Path enc = HerFolder.encoder(tmp);
        Path model = tmp.resolve("m");
        assertThat(train(data, model, enc, 2, "--dp-clip", "1").err()).contains("--dp-clip needs --target-epsilon");
        assertThat(train(data, model, enc, 2, "--dp-delta", "1e-6").err()).contains("--dp-delta needs");
        assertThat(train(data, model, enc, 2, "--target-epsilon", "8", "--dp-noise", "1")
                        .err())
                .contains("not both");
        assertThat(train(data, model, enc, 2, "--target-epsilon", "-1").err())
                .contains("--target-epsilon must be in (0, 1000)");
        assertThat(train(data, model, enc, 0, "--target-epsilon", "8").err()).contains("needs --steps >= 1");
        assertThat(train(data, model, enc, 2, "--dp-noise", "1", "--dp-delta", "2")
                        .err())
                .contains("DP-SGD: dp delta must be in (0, 1)");
        assertThat(Files.exists(model)).as("nothing written").isFalse();

        // A model trained without DP-SGD cannot become private by resuming with it.
        Path plain = tmp.resolve("plain");
        assertThat(train(data, plain, enc, 2).exitCode()).isZero();
        CliRun resume = train(data, plain, enc, 4, "--target-epsilon", "8");
        assertThat(resume.exitCode()).isNotZero();
        assertThat(resume.err()).contains("was trained without DP-SGD");
    }
}
