package dev.atelier.cli.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.cli.CliFixtures;
import dev.atelier.cli.CliRun;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.classifier.ClassifierWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atelier simulate classifier} on real Fashion-MNIST (found as the product finds it, never
 * downloaded; the test fails with the resolver's message when it is absent) with a tiny schedule:
 * 3 IID nodes, 2 rounds of 10 local steps, 300 test images, the default strategy.
 */
class SimulateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FINAL =
            Pattern.compile("final test accuracy (\\d\\.\\d{4}) after 2 rounds; run written to (\\S+)");

    @TempDir
    Path tmp;

    @Test
    void writesARunDirectoryWithOneMetricsLineAndCheckpointPerRound() throws Exception {
        Path runs = tmp.resolve("runs");
        CliRun r = CliFixtures.onFashionMnist(
                runs,
                "simulate",
                "classifier",
                "--nodes",
                "3",
                "--partition",
                "iid",
                "--rounds",
                "2",
                "--local-steps",
                "10",
                "--batch-size",
                "16",
                "--eval-size",
                "300",
                "--seed",
                "7");
        assertThat(r.exitCode()).as(r.err()).isZero();

        Path run = CliFixtures.onlyRun(runs);
        assertThat(run.getFileName().toString()).matches("classifier-fedavg-\\d{8}-\\d{6}");
        assertThat(r.err()).contains("simulating 3 nodes, iid, fedavg, 2 rounds x 10 local steps -> " + run);

        JsonNode runJson = JSON.readTree(run.resolve("run.json").toFile());
        assertThat(runJson.findValue("workload").asText()).isEqualTo("classifier");
        assertThat(runJson.findValue("eval_images").asInt()).isEqualTo(300);
        JsonNode sizes = runJson.findValue("partition_sizes");
        assertThat(sizes).hasSize(3);
        int pooled = 0;
        for (JsonNode n : sizes) {
            assertThat(n.asInt()).isBetween(16_000, 17_000); // IID: a third of the 50,000 private images
            pooled += n.asInt();
        }
        assertThat(pooled).isEqualTo(50_000);

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).extracting(l -> l.get("round").asInt()).containsExactly(1, 2);
        for (JsonNode l : lines) {
            assertThat(l.get("sampled").asInt()).isEqualTo(3);
            assertThat(l.get("replies").asInt()).isEqualTo(3);
            assertThat(l.get("failures")).isEmpty();
            assertThat(l.at("/fit/loss").asDouble()).isBetween(0.0, 5.0);
            assertThat(l.at("/fit/accuracy").asDouble()).isBetween(0.0, 1.0);
            assertThat(l.at("/eval/test_accuracy").asDouble()).isBetween(0.0, 1.0);
        }
        double last = lines.get(1).at("/eval/test_accuracy").asDouble();
        assertThat(last)
                .as("20 local steps per node beat guessing one of 10 classes")
                .isGreaterThan(0.2);

        Matcher m = FINAL.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isCloseTo(last, within(5e-5));
        assertThat(m.group(2)).isEqualTo(run.toString());
        assertThat(r.out())
                .contains("round 1/2 | replies 3/3")
                .contains("round 2/2 | replies 3/3")
                .contains("partition (examples per node and label):")
                .containsPattern("all +50000");

        for (int round = 1; round <= 2; round++) {
            Path ckpt = run.resolve(String.format("checkpoints/round-%04d.safetensors", round));
            ParamSet p = Safetensors.read(ckpt);
            assertThat(p.names()).isNotEmpty().allMatch(n -> n.startsWith(ClassifierWorkload.PREFIX));
            assertThat(p.byteSize())
                    .isEqualTo(ClassifierWorkload.initialParameters(7).byteSize());
        }
        assertThat(Safetensors.read(run.resolve("checkpoints/round-0002.safetensors")))
                .isNotEqualTo(Safetensors.read(run.resolve("checkpoints/round-0001.safetensors")));
    }

    @Test
    void badArgumentsExitNonZeroWithAClearMessageAndWriteNoRun() {
        Path runs = tmp.resolve("bad");
        CliRun partition = CliFixtures.onFashionMnist(runs, "simulate", "classifier", "--partition", "zigzag");
        assertThat(partition.exitCode()).isNotZero();
        assertThat(partition.err()).contains("error: invalid partition spec 'zigzag'");

        CliRun fraction = CliFixtures.onFashionMnist(runs, "simulate", "classifier", "--fraction", "1.5");
        assertThat(fraction.exitCode()).isNotZero();
        assertThat(fraction.err())
                .contains("error: ")
                .containsIgnoringCase("fraction")
                .contains("1.5");

        CliRun rounds = CliRun.of("simulate", "classifier", "--rounds", "many");
        assertThat(rounds.exitCode()).isNotZero();
        assertThat(rounds.err()).contains("Invalid value for option '--rounds'").contains("many");

        Path empty = tmp.resolve("empty");
        CliRun noData = CliRun.of("simulate", "classifier", "--data", empty.toString(), "--runs-dir", runs.toString());
        assertThat(noData.exitCode()).isNotZero();
        assertThat(noData.err()).contains("--data " + empty + " does not hold the Fashion-MNIST files");

        assertThat(runs).doesNotExist();
    }
}
