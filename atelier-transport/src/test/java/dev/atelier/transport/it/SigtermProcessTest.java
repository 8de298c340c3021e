package dev.atelier.transport.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.core.testing.TestThreads;
import dev.atelier.transport.app.RunStatus;
import dev.atelier.transport.app.StateStore;
import dev.atelier.transport.testing.CoordinatorProcess;
import dev.atelier.transport.testing.JvmProcess;
import dev.atelier.transport.testing.NodeThreads;
import dev.atelier.transport.testing.TestPki;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator JVM sent SIGTERM ({@link Process#destroy()}) mid-run: it stops gracefully, records
 * the run as {@code stopped} (never left {@code running}), leaves metrics.jsonl and checkpoints
 * consistent, and says so in one line; a node JVM sent SIGTERM tells the coordinator why at once.
 */
class SigtermProcessTest {
    @RegisterExtension
    final TestThreads rounds = new TestThreads(); // blocking rounds: not on the common pool

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private Path config(String runId, int port, long delayMs, int graceS, int checkpointEvery) throws Exception {
        return Files.writeString(
                tmp.resolve(runId + ".toml"),
                String.join(
                        "\n",
                        "run_id = \"" + runId + "\"",
                        "workload = \"linear\"",
                        "rounds = 50",
                        "checkpoint_every = " + checkpointEvery,
                        "round_timeout_s = 30",
                        "startup_wait_s = 60",
                        "shutdown_grace_s = " + graceS,
                        "listen = \"127.0.0.1:" + port + "\"",
                        "metrics_listen = \"off\"",
                        "cert_dir = \"pki\"",
                        "heartbeat_s = 0.3",
                        "[sampling]",
                        "min_available = 2",
                        "min_replies = 2",
                        "[workload_settings]",
                        "rows = 8",
                        "cols = 4",
                        "delay_ms = " + delayMs,
                        ""));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private RunStatus dbStatus(String runId) throws Exception {
        try (StateStore db = StateStore.open("jdbc:h2:file:" + tmp.resolve("state/atelier"), "", "")) {
            return db.runStatus(runId).orElseThrow();
        }
    }

    /** What a coordinator JVM left after SIGTERM: its log and exit code. */
    private record Stopped(String log, int exitCode) {}

    /**
     * Runs a coordinator JVM ({@link #config}) with nodes alpha and bravo, waits for {@code logLine}
     * and then {@code thenMs}, sends SIGTERM and waits for it to exit.
     */
    private Stopped sigtermAfter(
            String runId, long delayMs, int graceS, int checkpointEvery, String logLine, long thenMs) throws Exception {
        TestPki pki = TestPki.create(tmp.resolve("pki"), "alpha", "bravo");
        int port = freePort();
        Path cfg = config(runId, port, delayMs, graceS, checkpointEvery);
        try (JvmProcess coordinator = JvmProcess.start(
                        "coordinator",
                        tmp.resolve("logs"),
                        List.of(),
                        CoordinatorProcess.class.getName(),
                        cfg.toString());
                NodeThreads nodes = new NodeThreads()) {
            for (String n : List.of("alpha", "bravo")) {
                nodes.start(n, pki, port, tmp.resolve("nodes"));
            }
            coordinator.awaitLog(logLine, WAIT);
            Thread.sleep(thenMs);
            coordinator.process().destroy(); // SIGTERM
            assertThat(coordinator.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .as(coordinator.tail())
                    .isTrue();
            return new Stopped(coordinator.log(), coordinator.process().exitValue());
        }
    }

    @Test
    void sigtermBetweenRoundsFinishesTheRoundCheckpointsItAndRecordsStopped() throws Exception {
        Stopped stopped = sigtermAfter("graceful", 200, 20, 10, "round 3/50 done", 0);
        assertThat(stopped.exitCode()).as("killed by SIGTERM").isEqualTo(143);
        assertThat(stopped.log())
                .contains("coordinator: stop signal received; no new round starts")
                .contains("coordinator: run graceful stopped; its state is recorded; restart with the same"
                        + " --config to resume after the last checkpointed round")
                .doesNotContain("Exception");
        RunDirectory dir = new RunDirectory(tmp.resolve("runs/graceful"));
        List<RoundRecord> rounds = dir.readMetrics();
        int last = rounds.get(rounds.size() - 1).round();
        assertThat(last).isBetween(3, 49);
        assertThat(rounds)
                .extracting(RoundRecord::round)
                .isEqualTo(
                        java.util.stream.IntStream.rangeClosed(1, last).boxed().toList());
        // the round in progress finished and was checkpointed although checkpoint_every = 10
        assertThat(dir.latestCheckpoint())
                .hasValueSatisfying(e -> assertThat(e.getKey()).isEqualTo(last));
        assertThat(dbStatus("graceful")).isEqualTo(RunStatus.STOPPED);
    }

    @Test
    void aRoundThatOutlastsTheGraceIsAbandonedUnrecordedAndTheRunMarkedStopped() throws Exception {
        // rounds take >= 4 s, the grace is 1 s; SIGTERM 1 s into round 2
        Stopped stopped = sigtermAfter("abandon", 4000, 1, 1, "round 1/50 done", 1000);
        assertThat(stopped.log())
                .contains("coordinator: round 2 did not finish within 1 s and was abandoned (not recorded; it is"
                        + " played again on restart); run abandon marked stopped");
        RunDirectory dir = new RunDirectory(tmp.resolve("runs/abandon"));
        assertThat(dir.readMetrics()).extracting(RoundRecord::round).containsExactly(1);
        assertThat(dir.latestCheckpoint())
                .hasValueSatisfying(e -> assertThat(e.getKey()).isEqualTo(1));
        assertThat(dbStatus("abandon")).isEqualTo(RunStatus.STOPPED);
    }

    @Test
    void aNodeSentSigtermWhileTrainingSettlesItsWorkWithTheCoordinatorAndExitsSayingSo() throws Exception {
        TestPki pki = TestPki.create(tmp.resolve("pki"), "alpha", "bravo");
        java.util.Map<String, String> m = new java.util.HashMap<>();
        m.put("run_id", "node-term");
        m.put("workload", "linear");
        m.put("rounds", "3");
        m.put("sampling.min_available", "2");
        m.put("sampling.min_replies", "2");
        m.put("round_timeout_s", "30");
        m.put("listen", "127.0.0.1:0");
        m.put("metrics_listen", "off");
        m.put("cert_dir", "pki");
        m.put("heartbeat_s", "0.3");
        m.put("workload_settings.rows", "8");
        m.put("workload_settings.cols", "4");
        m.put("workload_settings.delay_ms", "3000");
        var cfg = dev.atelier.transport.app.CoordinatorConfig.parse(m, tmp);
        try (var c = new dev.atelier.transport.app.Coordinator(cfg);
                NodeThreads nodes = new NodeThreads()) {
            var run = java.util.concurrent.CompletableFuture.runAsync(
                    () -> {
                        try {
                            c.run();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    rounds);
            long end = System.nanoTime() + WAIT.toNanos();
            while (c.port() < 0 && System.nanoTime() < end && !run.isDone()) {
                Thread.sleep(20);
            }
            nodes.start("bravo", pki, c.port(), tmp.resolve("nodes"));
            boolean finishedFirst;
            try (JvmProcess alpha = JvmProcess.start(
                    "alpha",
                    tmp.resolve("logs"),
                    List.of(),
                    dev.atelier.transport.testing.NodeProcess.class.getName(),
                    "127.0.0.1:" + c.port(),
                    pki.bundle("alpha").toString(),
                    tmp.resolve("state-alpha").toString(),
                    "linear")) {
                alpha.awaitLog("round 1: TRAIN instruction received", WAIT);
                alpha.process().destroy(); // SIGTERM while it trains (3 s)
                assertThat(alpha.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
                        .as(alpha.tail())
                        .isTrue();
                assertThat(alpha.process().exitValue()).isEqualTo(143);
                assertThat(alpha.log())
                        .contains("node: stop signal received")
                        .contains("node: stopped while training; the coordinator was told; workload state closed");
                finishedFirst = alpha.log().contains("round 1: coordinator answered ACCEPTED");
                if (!finishedFirst) {
                    // the signal reached the workload before its step: it stopped early and said why
                    assertThat(alpha.log())
                            .contains("round 1: coordinator answered ERROR_RECORDED: error recorded: node alpha"
                                    + " stopped early: the node is shutting down (stop signal)");
                }
            }
            RunDirectory dir = new RunDirectory(tmp.resolve("runs/node-term"));
            while (dir.readMetrics().isEmpty() && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            // either way the coordinator heard from alpha and closed round 1 well before its 30 s deadline
            boolean delivered = finishedFirst;
            assertThat(dir.readMetrics()).first().satisfies(r -> {
                assertThat(r.seconds()).isLessThan(20);
                if (delivered) {
                    assertThat(r.replies()).isEqualTo(2);
                    assertThat(r.failures()).isEmpty();
                } else {
                    assertThat(r.replies()).isEqualTo(1);
                    assertThat(r.failures())
                            .singleElement()
                            .satisfies(f ->
                                    assertThat(f.reason()).contains("alpha stopped early: the node is shutting down"));
                }
            });
            c.stop();
        }
    }
}
