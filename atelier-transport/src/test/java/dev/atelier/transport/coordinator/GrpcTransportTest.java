package dev.atelier.transport.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.transport.Transport;
import dev.atelier.core.workload.Node;
import dev.atelier.transport.proto.PushResult;
import dev.atelier.transport.testing.LinearWorkload;
import dev.atelier.transport.testing.NodeThreads;
import dev.atelier.transport.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same Run over gRPC (mutual TLS, real loopback sockets) and in-process gives the same model. */
class GrpcTransportTest {
    @TempDir
    Path tmp;

    private GrpcTransport coordinator(TestPki pki, Config workload) throws Exception {
        return GrpcTransport.builder()
                .setListen("127.0.0.1", 0)
                .setTls(pki.coordinatorTls())
                .setFederation(new FederationInfo("t1", "linear", workload.values()))
                .setWorkDir(tmp.resolve("coord"))
                .optHeartbeat(Duration.ofMillis(200))
                .optChunkBytes(4096)
                .build()
                .start();
    }

    private static Run.Result run(Transport t, ParamSet initial, int rounds, Sampling sampling, Duration timeout)
            throws Exception {
        return run(t, initial, rounds, sampling, timeout, 0);
    }

    private static Run.Result run(
            Transport t, ParamSet initial, int rounds, Sampling sampling, Duration timeout, int evaluateEvery)
            throws Exception {
        RunConfig cfg = new RunConfig("t1", rounds, 7, timeout, 1, evaluateEvery, Map.of());
        return Run.builder()
                .setConfig(cfg)
                .setStrategy(new FedAvg(sampling, Config.empty()))
                .setTransport(t)
                .setInitial(initial)
                .build()
                .execute();
    }

    @Test
    void grpcRunMatchesInProcessRun() throws Exception {
        Config workload = Config.of(Map.of("rows", 40, "cols", 30));
        TestPki pki = TestPki.create(tmp.resolve("pki"), "n1", "n2", "n3");
        ParamSet initial = LinearWorkload.initial(workload);
        Run.Result overGrpc;
        try (GrpcTransport t = coordinator(pki, workload);
                NodeThreads nodes = new NodeThreads()) {
            for (String n : List.of("n1", "n2", "n3")) {
                nodes.start(n, pki, t.port(), tmp);
            }
            overGrpc = run(t, initial, 2, Sampling.all(3), Duration.ofSeconds(20));
            assertThat(nodes.awaitOutcomes(6, Duration.ofSeconds(5)))
                    .hasSize(6)
                    .allMatch(o -> o.outcome() == PushResult.Outcome.ACCEPTED);
            // model is 40*30+30 floats; 4 KiB chunks force multi-chunk streams both ways
            assertThat(t.ledger()
                            .total(
                                    dev.atelier.core.transport.WireLedger.Direction.FROM_NODE,
                                    dev.atelier.core.transport.WireLedger.PayloadKind.PARAMETERS))
                    .isEqualTo(6L * dev.atelier.core.params.Safetensors.encode(initial).length);
        }
        List<Node> local = List.of("n1", "n2", "n3").stream()
                .map(n -> new Node(n, new LinearWorkload(n, workload)))
                .toList();
        Run.Result inProcess = run(new InProcessTransport(local), initial, 2, Sampling.all(3), Duration.ofSeconds(20));

        assertThat(overGrpc.rounds()).extracting(RoundRecord::replies).containsExactly(3, 3);
        assertThat(overGrpc.rounds()).allMatch(r -> r.failures().isEmpty() && r.aggregated());
        float[] a = overGrpc.global().get("layer.weight").toFloats();
        float[] b = inProcess.global().get("layer.weight").toFloats();
        assertThat(a).containsExactly(b, org.assertj.core.data.Offset.offset(1e-6f));
        float expectedStep = (float) (List.of("n1", "n2", "n3").stream()
                        .mapToDouble(n -> LinearWorkload.step(n) * LinearWorkload.examples(n))
                        .sum()
                / List.of("n1", "n2", "n3").stream()
                        .mapToLong(LinearWorkload::examples)
                        .sum());
        assertThat(overGrpc.global().get("layer.bias").toFloats()[0])
                .isCloseTo(2 * expectedStep, org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void invalidReplyIsRejectedWithReasonOnBothSidesAndModelExcludesIt() throws Exception {
        Config workload = Config.of(Map.of("rows", 8, "cols", 4, "nan_node", "bad"));
        TestPki pki = TestPki.create(tmp.resolve("pki"), "good1", "good2", "bad");
        ParamSet initial = LinearWorkload.initial(workload);
        try (GrpcTransport t = coordinator(pki, workload);
                NodeThreads nodes = new NodeThreads()) {
            for (String n : List.of("good1", "good2", "bad")) {
                nodes.start(n, pki, t.port(), tmp);
            }
            Run.Result r = run(t, initial, 1, new Sampling(1.0, 3, 2, 0.5), Duration.ofSeconds(20));
            RoundRecord rec = r.rounds().get(0);
            assertThat(rec.replies()).isEqualTo(2);
            assertThat(rec.failures()).singleElement().satisfies(f -> {
                assertThat(f.nodeId()).isEqualTo("bad");
                assertThat(f.kind()).isEqualTo(Failure.Kind.REJECTED);
                assertThat(f.reason()).contains("NaN");
            });
            assertThat(nodes.awaitOutcomes(3, Duration.ofSeconds(5)))
                    .filteredOn(o -> o.node().equals("bad"))
                    .singleElement()
                    .satisfies(o -> {
                        assertThat(o.outcome()).isEqualTo(PushResult.Outcome.REJECTED);
                        assertThat(o.reason()).contains("NaN").contains("layer.");
                    });
            float expected = (float) ((LinearWorkload.step("good1") * LinearWorkload.examples("good1")
                            + LinearWorkload.step("good2") * LinearWorkload.examples("good2"))
                    / (LinearWorkload.examples("good1") + LinearWorkload.examples("good2")));
            assertThat(r.global().get("layer.bias").toFloats()[0])
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void evaluateInstructionsTravelOverGrpcAndMatchTheInProcessEvaluation() throws Exception {
        Config workload = Config.of(Map.of("rows", 6, "cols", 5));
        List<String> ids = List.of("e1", "e2", "e3");
        TestPki pki = TestPki.create(tmp.resolve("pki"), ids.toArray(String[]::new));
        ParamSet initial = LinearWorkload.initial(workload);
        Run.Result overGrpc;
        try (GrpcTransport t = coordinator(pki, workload);
                NodeThreads nodes = new NodeThreads()) {
            for (String n : ids) {
                nodes.start(n, pki, t.port(), tmp);
            }
            overGrpc = run(t, initial, 2, Sampling.all(3), Duration.ofSeconds(20), 1);
            // 2 train + 2 evaluate replies per node, all accepted
            assertThat(nodes.awaitOutcomes(12, Duration.ofSeconds(5)))
                    .hasSize(12)
                    .allMatch(o -> o.outcome() == PushResult.Outcome.ACCEPTED);
        }
        List<Node> local = ids.stream()
                .map(n -> new Node(n, new LinearWorkload(n, workload)))
                .toList();
        Run.Result inProcess =
                run(new InProcessTransport(local), initial, 2, Sampling.all(3), Duration.ofSeconds(20), 1);

        long heldOut = ids.stream().mapToLong(LinearWorkload::heldOut).sum();
        double stepMean = ids.stream()
                        .mapToDouble(n -> LinearWorkload.step(n) * LinearWorkload.heldOut(n))
                        .sum()
                / heldOut;
        for (int i = 0; i < 2; i++) {
            var fe = overGrpc.rounds().get(i).federatedEval().orElseThrow();
            assertThat(fe.sampled()).isEqualTo(3);
            assertThat(fe.replies()).isEqualTo(3);
            assertThat(fe.failures()).isEmpty();
            assertThat(fe.examples()).isEqualTo(heldOut);
            assertThat(fe.metrics().get("node_step")).isCloseTo(stepMean, org.assertj.core.data.Offset.offset(1e-9));
            // every node evaluated the round's new global model: its bias after aggregation
            double bias = overGrpc.global().get("layer.bias").toFloats()[0];
            if (i == 1) {
                assertThat(fe.metrics().get("bias_mean")).isCloseTo(bias, org.assertj.core.data.Offset.offset(1e-6));
            }
            assertThat(fe.metrics())
                    .isEqualTo(inProcess
                            .rounds()
                            .get(i)
                            .federatedEval()
                            .orElseThrow()
                            .metrics());
        }
    }
}
