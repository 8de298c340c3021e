package dev.atelier.transport.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Config;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.transport.app.StateStore;
import dev.atelier.transport.testing.CoordinatorProcess;
import dev.atelier.transport.testing.JvmProcess;
import dev.atelier.transport.testing.LinearWorkload;
import dev.atelier.transport.testing.NodeProcess;
import dev.atelier.transport.testing.TestPki;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coordinator and three node JVMs on loopback with mutual TLS: a node is killed mid-round (the
 * round completes with the others), then the coordinator is killed with SIGKILL mid-round and
 * restarted; it resumes after the last checkpointed round while the surviving node processes,
 * never restarted, reconnect and carry on.
 */
class MultiProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    /** Copies the child JVM logs where they survive the temporary directory (post-mortem in CI). */
    static void keepLogs(Path from, Path to) throws java.io.IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .toList()) {
                Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void nodeAndCoordinatorCrashesAreSurvived() throws Exception {
        TestPki pki = TestPki.create(tmp.resolve("pki"), "alpha", "bravo", "charlie");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = tmp.resolve("coordinator.toml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "run_id = \"mp-test\"",
                        "workload = \"linear\"",
                        "rounds = 3",
                        "sampling.min_available = 2",
                        "sampling.min_replies = 2",
                        "startup_nodes = 3",
                        "startup_wait_s = 60",
                        "round_timeout_s = 40",
                        "listen = \"127.0.0.1:" + port + "\"",
                        "metrics_listen = \"127.0.0.1:0\"",
                        "cert_dir = \"pki\"",
                        "heartbeat_s = 0.3",
                        "liveness_s = 1.5",
                        "workload_settings.rows = 64",
                        "workload_settings.cols = 32",
                        "workload_settings.delay_ms = 2500",
                        ""));
        List<JvmProcess> all = new ArrayList<>();
        Path logs = tmp.resolve("logs");
        try {
            JvmProcess coordinator = JvmProcess.start(
                    "coordinator-1", logs, List.of(), CoordinatorProcess.class.getName(), config.toString());
            all.add(coordinator);
            Map<String, JvmProcess> nodes = new java.util.LinkedHashMap<>();
            for (String n : List.of("alpha", "bravo", "charlie")) {
                JvmProcess p = JvmProcess.start(
                        n,
                        logs,
                        List.of(),
                        NodeProcess.class.getName(),
                        "127.0.0.1:" + port,
                        pki.bundle(n).toString(),
                        tmp.resolve("state-" + n).toString(),
                        "linear");
                nodes.put(n, p);
                all.add(p);
            }
            // kill charlie while it trains round 1
            nodes.get("charlie").awaitLog("round 1: TRAIN instruction received", WAIT);
            nodes.get("charlie").kill();
            RunDirectory dir = new RunDirectory(tmp.resolve("runs/mp-test"));
            coordinator.awaitLog("round 1/3 done", WAIT);
            // the failures are logged right after the "done" line, not with it
            coordinator.awaitLog("round 1: charlie did not contribute", WAIT);
            assertThat(coordinator.log())
                    .contains("round 1/3 done")
                    .contains("2 of 3 replied")
                    .containsPattern("round 1: charlie did not contribute \\(DISCONNECTED\\)");

            // kill -9 the coordinator while alpha and bravo train round 2
            nodes.get("alpha").awaitLog("round 2: TRAIN instruction received", WAIT);
            nodes.get("bravo").awaitLog("round 2: TRAIN instruction received", WAIT);
            coordinator.kill();
            assertThat(dir.latestCheckpoint())
                    .hasValueSatisfying(e -> assertThat(e.getKey()).isEqualTo(1));
            long alphaPid = nodes.get("alpha").process().pid();

            JvmProcess restarted = JvmProcess.start(
                    "coordinator-2", logs, List.of(), CoordinatorProcess.class.getName(), config.toString());
            all.add(restarted);
            restarted.awaitLog("resuming run mp-test after round 1", WAIT);
            assertThat(restarted.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as(restarted.tail())
                    .isTrue();
            assertThat(restarted.process().exitValue()).as(restarted.tail()).isZero();
            assertThat(restarted.log()).contains("round 3/3 done").contains("run mp-test complete after round 3");

            // the surviving nodes were never restarted: same processes, registered twice; told that
            // the run is complete, they exit 0 instead of retrying the coordinator that is gone
            assertThat(nodes.get("alpha").process().pid()).isEqualTo(alphaPid);
            for (String n : List.of("alpha", "bravo")) {
                JvmProcess node = nodes.get(n);
                assertThat(node.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
                        .as(node.tail())
                        .isTrue();
                assertThat(node.process().exitValue()).as(node.tail()).isZero();
                assertThat(node.log()).contains("run complete (").contains("node: run complete");
            }
            for (String n : List.of("alpha", "bravo")) {
                assertThat(nodes.get(n).count("registered with coordinator"))
                        .as(n)
                        .isEqualTo(2);
            }
            assertThat(dir.readMetrics())
                    .extracting(dev.atelier.core.run.RoundRecord::round)
                    .containsExactly(1, 2, 3);
            assertThat(dir.readMetrics())
                    .extracting(dev.atelier.core.run.RoundRecord::replies)
                    .containsExactly(2, 2, 2);
            float step = (float) (List.of("alpha", "bravo").stream()
                            .mapToDouble(n -> LinearWorkload.step(n) * LinearWorkload.examples(n))
                            .sum()
                    / List.of("alpha", "bravo").stream()
                            .mapToLong(LinearWorkload::examples)
                            .sum());
            assertThat(dir.latestCheckpoint()).hasValueSatisfying(e -> {
                assertThat(e.getKey()).isEqualTo(3);
                assertThat(e.getValue().get("layer.bias").toFloats()[0])
                        .isCloseTo(3 * step, org.assertj.core.data.Offset.offset(1e-5f));
            });
            try (StateStore db = StateStore.open(
                    "jdbc:h2:file:" + tmp.resolve("state/atelier").toAbsolutePath(), "", "")) {
                assertThat(db.rounds("mp-test"))
                        .extracting(r -> ((Number) r.get("round")).intValue())
                        .containsExactly(1, 2, 3);
                assertThat(db.runs())
                        .singleElement()
                        .satisfies(r -> assertThat(r.get("status")).isEqualTo("complete"));
                long modelBytes = dev.atelier.core.params.Safetensors.encode(
                                LinearWorkload.initial(Config.of(Map.of("rows", 64, "cols", 32))))
                        .length;
                assertThat(db.wire("mp-test"))
                        .filteredOn(r -> r.get("direction").equals("FROM_NODE")
                                && r.get("kind").equals("PARAMETERS"))
                        .allSatisfy(r -> assertThat(((Number) r.get("bytes")).longValue() % modelBytes)
                                .isZero());
            }
        } finally {
            for (JvmProcess p : all) {
                p.close();
            }
            keepLogs(logs, Path.of("target", "multiprocess-logs"));
        }
    }
}
