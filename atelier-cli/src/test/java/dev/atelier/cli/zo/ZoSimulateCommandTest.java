package dev.atelier.cli.zo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.cli.CliFixtures;
import dev.atelier.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code atelier zo simulate} end to end on the tiny random model and token-row stores. */
class ZoSimulateCommandTest {
    @TempDir
    Path tmp;

    /** Rows that count up with a stride per store: learnable from the previous token. */
    static Path stores(Path dir, int n, int rows) throws Exception {
        for (int s = 0; s < n; s++) {
            Path d = Files.createDirectories(dir.resolve("s" + s));
            SplittableRandom r = new SplittableRandom(s);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < rows; i++) {
                int start = r.nextInt(500);
                for (int t = 0; t < 16; t++) {
                    b.append(t == 0 ? "" : ",").append((start + t * (s + 1)) % 512);
                }
                b.append('\n');
            }
            Files.writeString(d.resolve("rows.ids"), b.toString());
        }
        return dir;
    }

    @Test
    void simulatesEightStoresAndRecordsLossAndWireBytesPerRound() throws Exception {
        Path data = stores(tmp.resolve("data"), 8, 20);
        Path runs = tmp.resolve("runs");
        CliRun r = CliRun.of(
                "zo",
                "simulate",
                "--tiny",
                "--data",
                data.toString(),
                "--rounds",
                "3",
                "--local-steps",
                "4",
                "--lr",
                "1e-3",
                "--k",
                "256",
                "--runs-dir",
                runs.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("round 3/3 | replies 8/8").contains("upload per store per round");
        assertThat(r.err()).contains("round 1: store-7 train done in").contains("round 3: store-0 evaluate done in");
        Path run = CliFixtures.onlyRun(runs);
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(lines).hasSize(3);
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode m = json.readTree(line);
            assertThat(m.path("aggregated").asBoolean()).isTrue();
            assertThat(m.path("fit").path("loss").asDouble()).isBetween(0.5, 10.0);
            // 4 pairs (43 bytes) plus the loss metric; never a tensor
            double up = m.path("eval").path("wire_up_bytes_max").asDouble();
            assertThat(up).isBetween(43.0, 1024.0);
            assertThat(m.path("federated_eval").toString()).contains("\"replies\":8");
        }
        // round 1 sends nothing to replay; round 2 the previous round's update only: at most
        // 8 stores x 4 seeds x 16 bytes plus the safetensors header, far below the 564 KB model
        assertThat(json.readTree(lines.get(0))
                        .path("eval")
                        .path("wire_down_bytes_mean")
                        .asDouble())
                .isZero();
        double down2 = json.readTree(lines.get(1))
                .path("eval")
                .path("wire_down_bytes_mean")
                .asDouble();
        assertThat(down2).isGreaterThan(4 * 16).isLessThan(8 * 4 * 16 + 400);
    }

    /** One zo simulate run of ZorBA over {@code data} with {@code parallel} stores at once: its run folder. */
    private Path zorbaRun(Path data, String name, int parallel) throws Exception {
        Path runs = tmp.resolve(name);
        CliRun r = CliRun.of(
                "zo",
                "simulate",
                "--tiny",
                "--data",
                data.toString(),
                "--zorba",
                "--store-budgets",
                "60MiB,52MiB,96MiB,60MiB",
                "--rounds",
                "3",
                "--local-steps",
                "3",
                "--lr",
                "1e-3",
                "--k",
                "64",
                "--always-trainable",
                "wte.weight[3-28]",
                "--parallel",
                Integer.toString(parallel),
                "--runs-dir",
                runs.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        return CliFixtures.onlyRun(runs);
    }

    @Test
    void storesTrainedInParallelGiveTheSameRunAsOneAfterAnother() throws Exception {
        Path data = stores(tmp.resolve("data"), 4, 12);
        Path one = zorbaRun(data, "one", 1);
        Path four = zorbaRun(data, "four", 4);
        ObjectMapper json = new ObjectMapper();
        List<String> a = Files.readAllLines(one.resolve("metrics.jsonl"));
        List<String> b = Files.readAllLines(four.resolve("metrics.jsonl"));
        assertThat(b).hasSameSizeAs(a).hasSize(3);
        for (int i = 0; i < a.size(); i++) {
            JsonNode x = json.readTree(a.get(i));
            JsonNode y = json.readTree(b.get(i));
            // the same losses to the last bit and the same bytes on the wire, round by round
            assertThat(y.path("fit")).as("round %d fit", i + 1).isEqualTo(x.path("fit"));
            assertThat(y.path("eval")).as("round %d eval", i + 1).isEqualTo(x.path("eval"));
            assertThat(y.path("federated_eval")).as("round %d held-out", i + 1).isEqualTo(x.path("federated_eval"));
        }
        assertThat(Files.readAllLines(four.resolve("allocations.jsonl")))
                .isEqualTo(Files.readAllLines(one.resolve("allocations.jsonl")));

        CliRun bad = CliRun.of("zo", "simulate", "--tiny", "--data", data.toString(), "--parallel", "0");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("--parallel must be between 1 and 256, got 0");
        CliRun notZorba =
                CliRun.of("zo", "simulate", "--tiny", "--data", data.toString(), "--always-trainable", "wte.weight[3]");
        assertThat(notZorba.exitCode()).isNotZero();
        assertThat(notZorba.err()).contains("--always-trainable needs --zorba");
    }

    @Test
    void zorbaGivesEachStoreItsBudgetAndLeavesOutTheOneThatCannotHoldABlock() throws Exception {
        Path data = stores(tmp.resolve("data"), 4, 12);
        Path runs = tmp.resolve("runs");
        CliRun r = CliRun.of(
                "zo",
                "simulate",
                "--tiny",
                "--data",
                data.toString(),
                "--zorba",
                "--store-budgets",
                "60MiB,1MiB,52MiB,96MiB",
                "--rounds",
                "2",
                "--local-steps",
                "2",
                "--k",
                "64",
                "--runs-dir",
                runs.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        // the planner counts about 45 MiB (young generation, runtime, one row, slot) + the held blocks
        assertThat(r.out())
                .contains("round 2/2 | replies 3/4")
                .doesNotContain("NOT AGGREGATED")
                .contains("zorba: 2 allocations, 1 solves")
                .contains("store-1: budget 1.00 MiB, left out: budget")
                .contains("the least any block set needs")
                .contains("store-3: budget 96.00 MiB, blocks [");
        Path run = CliFixtures.onlyRun(runs);
        assertThat(run.getFileName().toString()).contains("zorba");
        assertThat(Files.readAllLines(run.resolve("allocations.jsonl"))).hasSize(2);

        CliRun count = CliRun.of(
                "zo",
                "simulate",
                "--tiny",
                "--data",
                data.toString(),
                "--zorba",
                "--store-budgets",
                "8MiB,8MiB",
                "--runs-dir",
                runs.toString());
        assertThat(count.exitCode()).isNotZero();
        assertThat(count.err()).contains("--store-budgets lists 2 sizes for 4 stores");
        CliRun unit = CliRun.of(
                "zo",
                "simulate",
                "--tiny",
                "--data",
                data.toString(),
                "--zorba",
                "--store-budgets",
                "8MiB,8 parsecs,8MiB,8MiB",
                "--runs-dir",
                runs.toString());
        assertThat(unit.err()).contains("--store-budgets entry 2: unknown byte unit");
        CliRun alone = CliRun.of(
                "zo",
                "simulate",
                "--tiny",
                "--data",
                data.toString(),
                "--store-budgets",
                "8MiB,8MiB,8MiB,8MiB",
                "--runs-dir",
                runs.toString());
        assertThat(alone.err()).contains("--store-budgets needs --zorba");
    }
}
