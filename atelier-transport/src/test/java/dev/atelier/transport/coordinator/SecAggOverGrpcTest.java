package dev.atelier.transport.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.core.privacy.secagg.SecAggKeys;
import dev.atelier.core.privacy.secagg.SecAggNode;
import dev.atelier.core.run.RoundPrivacy;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.transport.WireLedger;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.NodeMiddleware;
import dev.atelier.transport.node.NodeRuntime;
import dev.atelier.transport.testing.LinearWorkload;
import dev.atelier.transport.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SecAgg+ over gRPC with mutual TLS: the four extra stages travel as ordinary instructions and
 * replies (TaskKind SECAGG, compact payloads, the masked vector as an int32 tensor), and a node
 * that dies after sharing its keys is unmasked from its neighbours' shares.
 */
class SecAggOverGrpcTest {
    @TempDir
    Path tmp;

    @Test
    void secureAggregationOverGrpcSurvivesANodeDyingAtTheCollectStage() throws Exception {
        Config workload = Config.of(Map.of("rows", 20, "cols", 10));
        List<String> names = List.of("n1", "n2", "n3", "n4", "n5");
        TestPki pki = TestPki.create(tmp.resolve("pki"), names.toArray(String[]::new));
        ParamSet initial = LinearWorkload.initial(workload);
        NodeMiddleware diesAtCollect = (ins, cancel, next) -> {
            if (ins.nodeId().equals("n5")
                    && ins.config().getString(SecAggKeys.STAGE, "").equals("secagg.collect_masked_vectors")) {
                throw new IllegalStateException("n5 lost power");
            }
            return next.handle(ins, cancel);
        };
        List<NodeRuntime> runtimes = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        Run.Result r;
        long maskedBytes;
        try (GrpcTransport t = GrpcTransport.builder()
                .setListen("127.0.0.1", 0)
                .setTls(pki.coordinatorTls())
                .setFederation(new FederationInfo("sa", "linear", workload.values()))
                .setWorkDir(tmp.resolve("coord"))
                .optHeartbeat(Duration.ofSeconds(2))
                .optChunkBytes(4096)
                .build()
                .start()) {
            for (String n : names) {
                NodeRuntime rt = NodeRuntime.builder()
                        .setCertBundle(pki.bundle(n))
                        .setCoordinator("127.0.0.1:" + t.port())
                        .setWorkload("linear")
                        .setNodeFactory((id, cfg) ->
                                new Node(id, List.of(diesAtCollect, new SecAggNode()), new LinearWorkload(id, cfg)))
                        .setWorkDir(tmp.resolve(n))
                        .optPullWait(Duration.ofSeconds(2))
                        .optBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                        .build();
                Thread th = new Thread(
                        () -> {
                            try {
                                rt.run();
                            } catch (Exception e) {
                                // stopped at the end of the test
                            }
                        },
                        "node-" + n);
                th.setDaemon(true);
                th.start();
                runtimes.add(rt);
                threads.add(th);
            }
            r = Run.builder()
                    .setConfig(new RunConfig("sa", 1, 7, Duration.ofSeconds(30), 1, Map.of()))
                    .setStrategy(new FedAvg(new Sampling(1.0, 5, 1, 0.5), Config.empty()))
                    .setTransport(t)
                    .setInitial(initial)
                    .optPrivacy(new PrivacyOptions(
                            Optional.of(new PrivacyOptions.SecAgg(5, 3, 8.0, 1L << 22)), Optional.empty()))
                    .build()
                    .execute();
            maskedBytes = t.ledger().total(WireLedger.Direction.FROM_NODE, WireLedger.PayloadKind.PARAMETERS);
        } finally {
            runtimes.forEach(NodeRuntime::stop);
            for (Thread th : threads) {
                th.join(5000);
            }
        }
        RoundRecord rec = r.rounds().get(0);
        assertThat(rec.aggregated()).as(rec.failures().toString()).isTrue();
        assertThat(rec.failures()).singleElement().satisfies(f -> {
            assertThat(f.nodeId()).isEqualTo("n5");
            assertThat(f.kind()).isEqualTo(Failure.Kind.ERROR);
            assertThat(f.reason()).contains("secagg.collect_masked_vectors").contains("n5 lost power");
        });
        RoundPrivacy p = rec.privacy().orElseThrow();
        assertThat(p.contributors()).isEqualTo(4);
        assertThat(p.dropped()).isEqualTo(1);
        // only masked int32 vectors left the nodes as tensors: 4 of them, never a float model
        long d = initial.numElements();
        assertThat(maskedBytes).isBetween(4 * d * 4, 4 * d * 4 + 4 * 1024L);
        // exact FedAvg of n1..n4 up to one quantisation step per contributor
        double num = 0;
        double den = 0;
        for (String n : List.of("n1", "n2", "n3", "n4")) {
            num += LinearWorkload.step(n) * LinearWorkload.examples(n);
            den += LinearWorkload.examples(n);
        }
        float[] before = initial.get("layer.bias").toFloats();
        float[] after = r.global().get("layer.bias").toFloats();
        double q = 16.0 / (1 << 22);
        for (int i = 0; i < after.length; i++) {
            assertThat((double) after[i] - before[i]).isCloseTo(num / den, within(4 * q + 1e-6));
        }
    }
}
