package dev.atelier.cli.zo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.cli.AtelierCli;
import dev.atelier.cli.CliProcesses;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.RandomCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atelier coordinator} with {@code workload = zo}, {@code strategy = fedkseed:k=128} and
 * three {@code atelier node --workload zo} JVMs over mutual TLS on loopback, nothing but the
 * commands a user types. Federated evaluation every round: a node answers it only when its
 * replica's SHA-256 equals the coordinator's global model, so 3 of 3 evaluation replies per round
 * prove three bit-identical replicas in three other processes.
 */
class ZoDeployProcessTest {
    private static final RandomCheckpoint.Spec SPEC = new RandomCheckpoint.Spec(64, 16, 2, 4, 4, 4, 32, 32);

    @TempDir
    Path tmp;

    private static final List<String> JVM = List.of(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-Datelier.zo.threads=1",
            "--add-modules",
            "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED");

    @Test
    void coordinatorAndThreeNodeProcessesFederateWithSeedsAndScalars() throws Exception {
        try (CliProcesses cli = new CliProcesses(tmp, JVM)) {
            Path certs = tmp.resolve("certs");
            assertThat(AtelierCli.run("certs", "init", "--dir", certs.toString()))
                    .isZero();
            assertThat(AtelierCli.run(
                            "certs",
                            "issue",
                            "coordinator",
                            "--coordinator",
                            "--san",
                            "127.0.0.1",
                            "--dir",
                            certs.toString()))
                    .isZero();
            List<String> names = List.of("store-a", "store-b", "store-c");
            for (String n : names) {
                assertThat(AtelierCli.run("certs", "issue", n, "--dir", certs.toString()))
                        .isZero();
            }
            var shapes = RandomCheckpoint.shapes(Family.GPT2, SPEC, true);
            RandomCheckpoint.write(
                    tmp.resolve("model"),
                    RandomCheckpoint.config(Family.GPT2, SPEC, true),
                    shapes,
                    RandomCheckpoint.random(shapes, 9, 0.2));
            for (int i = 0; i < names.size(); i++) {
                Path d = Files.createDirectories(tmp.resolve("data-" + names.get(i)));
                SplittableRandom r = new SplittableRandom(i);
                StringBuilder b = new StringBuilder();
                for (int row = 0; row < 20; row++) {
                    int start = r.nextInt(64);
                    for (int t = 0; t < 12; t++) {
                        b.append(t == 0 ? "" : ",").append((start + t * (i + 1)) % 64);
                    }
                    b.append('\n');
                }
                Files.writeString(d.resolve("rows.ids"), b.toString());
            }
            int port = CliProcesses.freePort();
            Files.writeString(
                    tmp.resolve("coordinator.toml"),
                    String.join(
                            "\n",
                            "run_id = \"zo-it\"",
                            "workload = \"zo\"",
                            "workload_settings.model = \"" + tmp.resolve("model") + "\"",
                            "workload_settings.max_len = 12",
                            "strategy = \"fedkseed:k=128\"",
                            "rounds = 2",
                            "evaluate_every = 1",
                            "sampling.min_available = 3",
                            "startup_nodes = 3",
                            "round_timeout_s = 300",
                            "listen = \"127.0.0.1:" + port + "\"",
                            "cert_dir = \"certs\"",
                            "heartbeat_s = 2",
                            // generous: the shared test machine runs at a load average of ~30 on 2 cores
                            "liveness_s = 90",
                            "train.local_steps = 5",
                            "train.batch_size = 2",
                            "train.lr = 0.01",
                            ""));
            Process coordinator = cli.start("coordinator", "coordinator", "--config", "coordinator.toml");
            for (String n : names) {
                cli.start(
                        n,
                        "node",
                        "--coordinator",
                        "127.0.0.1:" + port,
                        "--cert-dir",
                        "certs/" + n,
                        "--workload",
                        "zo",
                        "--data",
                        "data-" + n,
                        "--state-dir",
                        "state-" + n,
                        "--max-backoff",
                        "1");
            }
            assertThat(coordinator.waitFor(8, TimeUnit.MINUTES))
                    .as(cli.log("coordinator"))
                    .isTrue();
            assertThat(coordinator.exitValue()).as(cli.log("coordinator")).isZero();
            assertThat(cli.log("coordinator")).contains("run zo-it complete after round 2");
            ObjectMapper json = new ObjectMapper();
            List<String> lines = Files.readAllLines(tmp.resolve("runs/zo-it/metrics.jsonl"));
            assertThat(lines).hasSize(2);
            for (String line : lines) {
                JsonNode m = json.readTree(line);
                assertThat(m.path("replies").asInt())
                        .as(line + "\n" + cli.log("coordinator"))
                        .isEqualTo(3);
                assertThat(m.path("federated_eval").path("replies").asInt())
                        .as(line)
                        .isEqualTo(3);
                assertThat(m.path("failures").size()).as(line).isZero();
                // the coordinator's metrics.jsonl carries each round's wire bytes (seeds and scalars up)
                assertThat(m.path("eval").path("wire_up_bytes_max").asDouble())
                        .as(line)
                        .isBetween(1.0, 4096.0);
                assertThat(m.path("eval").path("wire_down_bytes_mean").asDouble())
                        .as(line)
                        .isPositive();
            }
            for (String n : names) {
                assertThat(cli.log(n))
                        .contains("round 2: coordinator answered ACCEPTED")
                        .doesNotContain("SHA-256");
            }
        }
    }
}
