package dev.atelier.transport.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.core.testing.TestThreads;
import dev.atelier.transport.testing.LinearWorkload;
import dev.atelier.transport.testing.NodeThreads;
import dev.atelier.transport.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator process in this JVM with three node threads: state, audit, metrics, resume. */
class CoordinatorAppTest {
    @RegisterExtension
    final TestThreads rounds = new TestThreads(); // blocking rounds: not on the common pool

    private static final List<String> NODES = List.of("atelier-a", "atelier-b", "atelier-c");

    @TempDir
    Path tmp;

    private CoordinatorConfig config(int rounds) {
        return config(rounds, Map.of());
    }

    private CoordinatorConfig config(int rounds, Map<String, String> overrides) {
        Map<String, String> m = new HashMap<>();
        m.put("run_id", "app-test");
        m.put("workload", "linear");
        m.put("rounds", String.valueOf(rounds));
        m.put("sampling.min_available", "3");
        m.put("sampling.min_replies", "2");
        m.put("round_timeout_s", "20");
        m.put("startup_wait_s", "20");
        m.put("listen", "127.0.0.1:0");
        m.put("metrics_listen", "127.0.0.1:0");
        m.put("cert_dir", "pki");
        m.put("heartbeat_s", "0.3");
        m.put("chunk_kib", "4");
        m.put("workload_settings.rows", "50");
        m.put("workload_settings.cols", "20");
        m.put("train.lr", "0.1");
        m.putAll(overrides);
        return CoordinatorConfig.parse(m, tmp);
    }

    private record Finished(Run.Result result, String metrics, String status) {}

    private Finished runWithNodes(CoordinatorConfig cfg, TestPki pki) throws Exception {
        try (Coordinator c = new Coordinator(cfg);
                NodeThreads nodes = new NodeThreads()) {
            CompletableFuture<Run.Result> run = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return c.run();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    rounds);
            while (c.port() < 0 && !run.isDone()) {
                Thread.sleep(20);
            }
            for (String n : NODES) {
                nodes.start(n, pki, c.port(), tmp.resolve("nodes"));
            }
            Run.Result result = run.get(60, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + c.metricsPort();
            String metrics = http.send(
                            HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            String status = http.send(
                            HttpRequest.newBuilder(URI.create(base + "/status")).build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            return new Finished(result, metrics, status);
        }
    }

    @Test
    void runsRecordsStateAuditsTheWireAndResumes() throws Exception {
        TestPki pki = TestPki.create(tmp.resolve("pki"), NODES.toArray(String[]::new));
        CoordinatorConfig two = config(2);
        long modelBytes = Safetensors.encode(LinearWorkload.initial(Config.of(Map.of("rows", 50, "cols", 20)))).length;

        Finished first = runWithNodes(two, pki);
        assertThat(first.result().rounds()).hasSize(2).allMatch(r -> r.replies() == 3 && r.aggregated());
        assertThat(first.metrics())
                .contains("atelier_rounds_completed_total 2")
                .contains("atelier_replies_total{outcome=\"accepted\"} 6")
                .contains("atelier_bytes_received_total{kind=\"parameters\"} " + 6 * modelBytes)
                .contains("atelier_bytes_received_total{kind=\"compact\"} 0")
                .contains("atelier_nodes_alive 3")
                .contains("atelier_last_round_fit{metric=\"loss\"} 0.5");
        assertThat(first.status())
                .contains("\"run_id\" : \"app-test\"")
                .contains("\"current_round\" : 2")
                .contains("\"strategy\" : \"fedavg\"")
                .contains("\"status\" : \"complete\"")
                .contains("\"last_round\" : {\n    \"round\" : 2,")
                .contains("atelier-b");

        try (StateStore db = StateStore.open(two.database().url(), "", "")) {
            assertThat(db.rounds("app-test"))
                    .extracting(r -> ((Number) r.get("replies")).intValue())
                    .containsExactly(3, 3);
            assertThat(db.nodes()).extracting(r -> r.get("node_id")).containsExactlyElementsOf(NODES);
            assertThat(db.runs())
                    .singleElement()
                    .satisfies(r -> assertThat(r.get("status")).isEqualTo("complete"));
            assertThat(db.runStatus("app-test")).hasValue(RunStatus.COMPLETE);
            // wire audit: only parameters, metrics and protocol control crossed the wire from nodes,
            // and the parameter bytes per node per round are exactly the encoded model
            List<Map<String, Object>> fromNodes = db.wire("app-test").stream()
                    .filter(r -> r.get("direction").equals("FROM_NODE") && ((Number) r.get("round")).intValue() > 0)
                    .toList();
            assertThat(fromNodes).extracting(r -> r.get("kind")).containsOnly("PARAMETERS", "METRICS", "CONTROL");
            Map<String, Long> params = fromNodes.stream()
                    .filter(r -> r.get("kind").equals("PARAMETERS"))
                    .collect(Collectors.toMap(
                            r -> r.get("node_id") + "/" + r.get("round"), r -> ((Number) r.get("bytes")).longValue()));
            assertThat(params)
                    .hasSize(6)
                    .allSatisfy((k, v) -> assertThat(v).as(k).isEqualTo(modelBytes));
            assertThat(fromNodes)
                    .filteredOn(r -> r.get("kind").equals("METRICS"))
                    .allSatisfy(r -> assertThat(((Number) r.get("bytes")).longValue())
                            .isEqualTo(("loss".length() + 8) + ("step".length() + 8)));
            long control = fromNodes.stream()
                    .filter(r -> r.get("kind").equals("CONTROL"))
                    .mapToLong(r -> ((Number) r.get("bytes")).longValue())
                    .sum();
            assertThat(control).isLessThan(6 * modelBytes / 20);
        }

        // resume: a torn metrics line from a crash must not break the restart
        RunDirectory dir = new RunDirectory(tmp.resolve("runs/app-test"));
        Files.writeString(
                dir.path().resolve("metrics.jsonl"),
                "{\"round\":3,\"sampl",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        Finished resumed = runWithNodes(config(4), pki);
        assertThat(resumed.result().rounds()).extracting(r -> r.round()).containsExactly(3, 4);
        assertThat(dir.readMetrics())
                .extracting(dev.atelier.core.run.RoundRecord::round)
                .containsExactly(1, 2, 3, 4);
        assertThat(dir.latestCheckpoint())
                .hasValueSatisfying(e -> assertThat(e.getKey()).isEqualTo(4));
        try (StateStore db = StateStore.open(two.database().url(), "", "")) {
            assertThat(db.rounds("app-test"))
                    .extracting(r -> ((Number) r.get("round")).intValue())
                    .containsExactly(1, 2, 3, 4);
        }
        // every round moved the bias by the same example-weighted mean step
        float step = (float) (NODES.stream()
                        .mapToDouble(n -> LinearWorkload.step(n) * LinearWorkload.examples(n))
                        .sum()
                / NODES.stream().mapToLong(LinearWorkload::examples).sum());
        assertThat(resumed.result().global().get("layer.bias").toFloats()[0])
                .isCloseTo(4 * step, org.assertj.core.data.Offset.offset(1e-5f));
        // and a complete run is not run again
        try (Coordinator c = new Coordinator(config(4))) {
            assertThat(c.run()).isNull();
        }
    }

    @Test
    void replyLimitsFromTheConfigRefuseRepliesAndTheRefusalsShowInMetricsAndStatus() throws Exception {
        TestPki pki = TestPki.create(tmp.resolve("pki"), NODES.toArray(String[]::new));
        long most = NODES.stream().mapToLong(LinearWorkload::examples).max().orElseThrow();
        long overCap =
                NODES.stream().filter(n -> LinearWorkload.examples(n) == most).count();
        // nodes claiming the most examples exceed the weight cap; every other update exceeds a tiny norm bound
        Finished f = runWithNodes(
                config(
                        2,
                        Map.of(
                                "reply_limits.max_examples",
                                String.valueOf(most - 1),
                                "reply_limits.max_update_norm_ratio",
                                "1e-9")),
                pki);
        assertThat(f.result().rounds()).hasSize(2).allMatch(r -> r.replies() == 0 && !r.aggregated());
        assertThat(f.result().global().get("layer.bias").toFloats()[0]).isZero();
        assertThat(f.result().rounds().get(0).failures())
                .hasSize(3)
                .allMatch(x -> x.kind() == dev.atelier.core.message.Failure.Kind.REJECTED);
        assertThat(f.metrics())
                .contains("atelier_replies_over_limit_total{limit=\"examples\"} " + 2 * overCap)
                .contains("atelier_replies_over_limit_total{limit=\"update_norm\"} " + 2 * (3 - overCap))
                .contains("atelier_round_failures_total{kind=\"rejected\"} 6");
        assertThat(f.status())
                .contains("\"max_examples\" : " + (most - 1))
                .contains("\"max_update_norm_ratio\" : 1.0E-9")
                .contains("\"examples\" : " + 2 * overCap)
                .contains("\"update_norm\" : " + 2 * (3 - overCap))
                .contains("above the cap of " + (most - 1));
    }

    @Test
    void aStrategyThatHoldsEveryReplyRunsWhenItFitsAndIsRefusedBeforeListeningWhenItCannot() throws Exception {
        TestPki pki = TestPki.create(tmp.resolve("pki"), NODES.toArray(String[]::new));
        Finished median = runWithNodes(config(2, Map.of("strategy", "fedmedian")), pki);
        assertThat(median.result().rounds()).hasSize(2).allMatch(r -> r.replies() == 3 && r.aggregated());
        float[] steps = {
            LinearWorkload.step(NODES.get(0)), LinearWorkload.step(NODES.get(1)), LinearWorkload.step(NODES.get(2))
        };
        java.util.Arrays.sort(steps);
        assertThat(median.result().global().get("layer.bias").toFloats()[0])
                .isCloseTo(2 * steps[1], org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(median.status()).contains("\"strategy\" : \"fedmedian\"");

        // 3 replies x 300,000 elements x 4 bytes = 3.4 MB > 1 MB: refused before the port opens
        CoordinatorConfig tooBig = config(
                2,
                Map.of(
                        "run_id",
                        "too-big",
                        "strategy",
                        "trimmedmean:beta=0.2",
                        "memory_budget_mb",
                        "1",
                        "workload_settings.rows",
                        "1000",
                        "workload_settings.cols",
                        "300"));
        try (Coordinator c = new Coordinator(tooBig)) {
            assertThatThrownBy(c::run)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("strategy trimmedmean holds every reply until the round ends: 3 replies"
                            + " x 300300 elements x 4 bytes = 3.4 MB, over the memory budget of 1.0 MB")
                    .hasMessageContaining("memory_budget_mb");
            assertThat(c.port()).isEqualTo(-1);
        }
    }

    @Test
    void evaluateEveryRunsTheFederatedEvaluationAndStatusShowsIt() throws Exception {
        TestPki pki = TestPki.create(tmp.resolve("pki"), NODES.toArray(String[]::new));
        Finished f = runWithNodes(config(2, Map.of("evaluate_every", "2")), pki);
        assertThat(f.result().rounds())
                .extracting(r -> r.federatedEval().isPresent())
                .containsExactly(false, true);
        var fe = f.result().rounds().get(1).federatedEval().orElseThrow();
        assertThat(fe.replies()).isEqualTo(3);
        assertThat(fe.examples())
                .isEqualTo(NODES.stream().mapToLong(LinearWorkload::heldOut).sum());
        assertThat(f.status()).contains("\"federated_eval\"").contains("\"bias_mean\"");
        assertThat(new RunDirectory(tmp.resolve("runs/app-test"))
                        .readMetrics()
                        .get(1)
                        .federatedEval())
                .isPresent();
    }
}
