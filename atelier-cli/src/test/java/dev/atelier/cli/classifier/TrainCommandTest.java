package dev.atelier.cli.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.cli.CliFixtures;
import dev.atelier.cli.CliRun;
import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.classifier.ClassifierWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atelier train classifier} (the centralized baseline) on real Fashion-MNIST, found as the
 * product finds it (never downloaded; the test fails with the resolver's message when it is
 * absent), with 40 steps instead of 4000.
 */
class TrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PRINTED =
            Pattern.compile("central test accuracy (\\d\\.\\d{4}) \\(40 steps x 32, \\d+s\\); written to (\\S+)");

    @TempDir
    Path tmp;

    @Test
    void writesMetricsAndAFinalCheckpointAndPrintsTheTestAccuracy() throws Exception {
        Path runs = tmp.resolve("runs");
        CliRun r = CliFixtures.onFashionMnist(
                runs, "train", "classifier", "--steps", "40", "--batch-size", "32", "--seed", "5");
        assertThat(r.exitCode()).as(r.err()).isZero();

        Path run = CliFixtures.onlyRun(runs);
        assertThat(run.getFileName().toString()).matches("classifier-central-\\d{8}-\\d{6}");

        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(lines).hasSize(1);
        JsonNode m = JSON.readTree(lines.get(0));
        assertThat(m.get("steps").asInt()).isEqualTo(40);
        double loss = m.get("train_loss").asDouble();
        double accuracy = m.get("test_accuracy").asDouble();
        assertThat(loss).as("cross entropy below guessing (ln 10 = 2.30)").isBetween(0.0, 2.3);
        assertThat(accuracy).as("40 steps beat guessing one of 10 classes").isBetween(0.3, 1.0);
        assertThat(m.get("seconds").asDouble()).isNotNegative();

        Safetensors.Contents ckpt = Safetensors.readWithMetadata(run.resolve("checkpoints/final.safetensors"));
        assertThat(ckpt.metadata()).containsEntry("format", "atelier-checkpoint-v1");
        assertThat(Double.parseDouble(ckpt.metadata().get("test_accuracy"))).isCloseTo(accuracy, within(5e-6));
        assertThat(ckpt.params().names()).isNotEmpty().allMatch(n -> n.startsWith(ClassifierWorkload.PREFIX));
        assertThat(ckpt.params().byteSize())
                .isEqualTo(ClassifierWorkload.initialParameters(5).byteSize());
        assertThat(ckpt.params()).isNotEqualTo(ClassifierWorkload.initialParameters(5));

        Matcher p = PRINTED.matcher(r.out());
        assertThat(p.find()).as(r.out()).isTrue();
        assertThat(Double.parseDouble(p.group(1))).isCloseTo(accuracy, within(5e-5));
        assertThat(p.group(2)).isEqualTo(run.toString());
    }

    @Test
    void badArgumentsExitNonZeroWithAClearMessage() {
        Path runs = tmp.resolve("bad");
        CliRun batch = CliFixtures.onFashionMnist(runs, "train", "classifier", "--batch-size", "0");
        assertThat(batch.exitCode()).isNotZero();
        assertThat(batch.err()).contains("error: ").contains("batch=0");

        CliRun steps = CliRun.of("train", "classifier", "--steps", "forty");
        assertThat(steps.exitCode()).isNotZero();
        assertThat(steps.err()).contains("Invalid value for option '--steps'").contains("forty");

        assertThat(runs).doesNotExist();
    }
}
