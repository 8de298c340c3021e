package dev.atelier.cli.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.cli.CliFixtures;
import dev.atelier.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atelier simulate classifier --dp-adaptive-clip}: the flags reach the run (run.json's
 * privacy block), every round's record carries the clip norm it used and the next one, each round
 * uses the norm the previous one chose, and a first C far below the update norms grows (every
 * update clipped: the privatised unclipped fraction is near 0, below gamma). Misuse is a one-line
 * error before any data is loaded.
 */
class SimulateAdaptiveClipTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theClipNormFollowsTheQuantileRoundByRound() throws Exception {
        Path runs = tmp.resolve("runs");
        CliRun r = CliFixtures.onFashionMnist(
                runs,
                "simulate",
                "classifier",
                "--nodes",
                "6",
                "--rounds",
                "3",
                "--local-steps",
                "3",
                "--batch-size",
                "16",
                "--eval-size",
                "100",
                "--seed",
                "5",
                "--dp-clip",
                "0.001",
                "--dp-noise",
                "0.5",
                "--dp-adaptive-clip",
                "--dp-clip-target-quantile",
                "0.5",
                "--dp-clip-learning-rate",
                "0.5",
                "--dp-clip-count-stddev",
                "0.5");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path run = CliFixtures.onlyRun(runs);
        JsonNode privacy = JSON.readTree(run.resolve("run.json").toFile()).findValue("privacy");
        assertThat(privacy.get("dp_adaptive_clip").asBoolean()).isTrue();
        assertThat(privacy.get("dp_clip_target_quantile").asDouble()).isEqualTo(0.5);
        assertThat(privacy.get("dp_clip_learning_rate").asDouble()).isEqualTo(0.5);
        assertThat(privacy.get("dp_clip_count_stddev").asDouble()).isEqualTo(0.5);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).at("/privacy/clip_norm").asDouble()).isEqualTo(0.001);
        for (int i = 1; i < lines.size(); i++) {
            assertThat(lines.get(i).at("/privacy/clip_norm").asDouble())
                    .isCloseTo(lines.get(i - 1).at("/privacy/next_clip_norm").asDouble(), within(1e-15));
        }
        // all clipped: each round multiplies C by about exp(0.5 * 0.5) = 1.28 (count noise 0.5 / 6 nodes)
        double last = lines.get(2).at("/privacy/next_clip_norm").asDouble();
        assertThat(last).isGreaterThan(0.0015).isLessThan(0.004);
        assertThat(r.out()).contains("privacy ");
    }

    @Test
    void adaptiveClipMisuseIsAOneLineErrorBeforeLoadingData() {
        Path runs = tmp.resolve("bad");
        Path empty = tmp.resolve("no-data");
        String[][] cases = {
            {"--dp-adaptive-clip", "--dp-clip-count-stddev", "1"},
            {"--dp-clip", "0.5", "--dp-noise", "1", "--dp-clip-target-quantile", "0.3"},
            {"--dp-clip", "0.5", "--dp-noise", "1", "--dp-adaptive-clip"},
            {
                "--dp-clip",
                "0.5",
                "--dp-noise",
                "1",
                "--dp-adaptive-clip",
                "--dp-clip-count-stddev",
                "1",
                "--dp-clip-target-quantile",
                "1.5"
            },
            {"--secagg", "--strategy", "fedmedian"},
        };
        String[] errors = {
            "--dp-adaptive-clip need --dp-clip > 0",
            "need --dp-adaptive-clip",
            "--dp-adaptive-clip needs --dp-clip-count-stddev",
            "dp_clip_target_quantile must be in (0, 1), got 1.5",
            "needs every node's individual update, which --secagg does not give the coordinator",
        };
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(
                    List.of("simulate", "classifier", "--data", empty.toString(), "--runs-dir", runs.toString()));
            args.addAll(List.of(cases[i]));
            CliRun bad = CliRun.of(args.toArray(new String[0]));
            assertThat(bad.exitCode()).as(String.join(" ", cases[i])).isNotZero();
            assertThat(bad.err())
                    .as(String.join(" ", cases[i]))
                    .contains(errors[i])
                    .doesNotContain("Fashion-MNIST");
        }
        assertThat(Files.exists(runs)).isFalse();
    }
}
