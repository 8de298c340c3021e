package dev.atelier.transport.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.transport.SentMessage;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.Key;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.transport.node.OutboundLedger;
import dev.atelier.transport.testing.LinearWorkload;
import dev.atelier.transport.testing.NodeThreads;
import dev.atelier.transport.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's own outbound ledger (outbound.jsonl in its work dir) agrees byte for byte, per round
 * and kind, with what the coordinator's wire audit counted from it, and names exactly the
 * tensors the workload sent.
 */
class NodeOutboundLedgerTest {
    @TempDir
    Path tmp;

    @Test
    void nodeLedgerEqualsCoordinatorAuditPerRoundAndKind() throws Exception {
        Config workload = Config.of(Map.of("rows", 40, "cols", 30));
        TestPki pki = TestPki.create(tmp.resolve("pki"), "n1", "n2");
        ParamSet initial = LinearWorkload.initial(workload);
        try (GrpcTransport t = GrpcTransport.builder()
                        .setListen("127.0.0.1", 0)
                        .setTls(pki.coordinatorTls())
                        .setFederation(new FederationInfo("t1", "linear", workload.values()))
                        .setWorkDir(tmp.resolve("coord"))
                        .optHeartbeat(Duration.ofMillis(200))
                        .optChunkBytes(4096)
                        .build()
                        .start();
                NodeThreads nodes = new NodeThreads()) {
            for (String n : List.of("n1", "n2")) {
                nodes.start(n, pki, t.port(), tmp);
            }
            t.awaitNodes(2, Duration.ofSeconds(30)); // both in round 1
            Run.builder()
                    .setConfig(new RunConfig("t1", 2, 7, Duration.ofSeconds(90), 1, 1, Map.of()))
                    .setStrategy(new FedAvg(Sampling.all(2), Config.empty()))
                    .setTransport(t)
                    .setInitial(initial)
                    .build()
                    .execute();
            Thread.sleep(600); // a few heartbeats more
            for (String n : List.of("n1", "n2")) {
                Path dir = tmp.resolve(n);
                List<OutboundLedger.Entry> entries = awaitUploads(dir, 4); // 2 fits + 2 evaluations
                Map<Key, Long> node = new TreeMap<>();
                for (var e : entries) {
                    SentMessage m = e.message();
                    assertThat(m.nodeId()).isEqualTo(n);
                    if (m.call().equals(SentMessage.CONTROL_CALLS)) {
                        continue; // heartbeats and pulls: the coordinator's audit does not count them
                    }
                    m.bytes()
                            .forEach((k, v) -> node.merge(new Key(n, m.round(), Direction.FROM_NODE, k), v, Long::sum));
                }
                Map<Key, Long> coordinator = new TreeMap<>();
                t.ledger().snapshot().forEach((k, v) -> {
                    if (k.nodeId().equals(n) && k.direction() == Direction.FROM_NODE) {
                        coordinator.put(k, v);
                    }
                });
                assertThat(node).isEqualTo(coordinator);
                List<Long> fits = node.entrySet().stream()
                        .filter(e -> e.getKey().kind() == PayloadKind.PARAMETERS)
                        .map(Map.Entry::getValue)
                        .toList();
                assertThat(fits)
                        .as("%s sent its fits in %s", n, entries)
                        .hasSize(2)
                        .containsOnly((long) Safetensors.encode(initial).length);
                assertThat(node.get(new Key(n, 0, Direction.FROM_NODE, PayloadKind.CONTROL)))
                        .as("%s registration in %s", n, entries)
                        .isPositive();
                var uploads = entries.stream()
                        .map(OutboundLedger.Entry::message)
                        .filter(m -> m.call().equals(SentMessage.PUSH_REPLY))
                        .toList();
                // fits carry exactly the model's tensors, read from the bytes sent; evaluations none
                assertThat(uploads)
                        .filteredOn(m -> m.bytes(PayloadKind.PARAMETERS) > 0)
                        .hasSize(2)
                        .allSatisfy(m -> assertThat(m.tensors())
                                .extracting(SentMessage.TensorBytes::name, SentMessage.TensorBytes::bytes)
                                .containsExactlyInAnyOrderElementsOf(initial.asMap().entrySet().stream()
                                        .map(x -> org.assertj.core.groups.Tuple.tuple(
                                                x.getKey(), x.getValue().byteSize()))
                                        .toList()));
                assertThat(uploads)
                        .filteredOn(m -> m.bytes(PayloadKind.PARAMETERS) == 0)
                        .isNotEmpty()
                        .allSatisfy(m -> {
                            assertThat(m.tensors()).isEmpty();
                            // the metric values that left, as sent (an evaluation reports its node's step)
                            assertThat(m.metrics()).containsEntry("node_step", (double) LinearWorkload.step(n));
                        });
                assertThat(entries)
                        .map(OutboundLedger.Entry::message)
                        .filteredOn(m -> m.call().equals(SentMessage.CONTROL_CALLS))
                        .isNotEmpty()
                        .allSatisfy(m -> assertThat(m.bytes().keySet()).containsExactly(PayloadKind.CONTROL));
            }
        }
    }

    private static List<OutboundLedger.Entry> awaitUploads(Path dir, int n) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            var all = OutboundLedger.read(dir, 10_000);
            long uploads = all.stream()
                    .filter(e -> e.message().call().equals(SentMessage.PUSH_REPLY))
                    .count();
            if (uploads >= n || System.nanoTime() > end) {
                return all;
            }
            Thread.sleep(20);
        }
    }
}
