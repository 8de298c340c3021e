package dev.atelier.transport.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.message.Reply;
import dev.atelier.core.testing.RecordingSink;
import dev.atelier.core.workload.Node;
import dev.atelier.transport.coordinator.FederationInfo;
import dev.atelier.transport.coordinator.GrpcTransport;
import dev.atelier.transport.coordinator.TransportListener;
import dev.atelier.transport.testing.LinearWorkload;
import dev.atelier.transport.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's start-up order (prepare, register, heartbeat, build the workload) and its end: a node
 * whose workload takes longer to build than the coordinator's liveness timeout still gets round 1,
 * and a node of a finished run returns normally with {@link NodeRuntime#runComplete()}.
 */
class NodeStartupTest {
    private static final Config SHAPE = Config.of(Map.of("rows", 4, "cols", 4));
    /** Longer than the 1 s liveness timeout below: without heartbeats the node would be lost. */
    private static final long SLOW_MS = 2500;

    @TempDir
    Path tmp;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private TestPki pki;
    private GrpcTransport transport;

    @BeforeEach
    void start() throws Exception {
        pki = TestPki.create(tmp.resolve("pki"), "n1");
        transport = GrpcTransport.builder()
                .setListen("127.0.0.1", 0)
                .setTls(pki.coordinatorTls())
                .setFederation(new FederationInfo("startup", "linear", Map.of()))
                .setWorkDir(tmp.resolve("coord"))
                .optHeartbeat(Duration.ofMillis(200))
                .optLivenessTimeout(Duration.ofSeconds(1))
                .optListener(new TransportListener() {
                    @Override
                    public void onNodeRegistered(NodeInfo node, String address) {
                        events.add("registered " + node.nodeId());
                    }

                    @Override
                    public void onNodeLost(String nodeId, String reason) {
                        events.add("lost " + nodeId + ": " + reason);
                    }
                })
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        transport.close();
    }

    /** Prepares for {@code prepareMs} before registering and builds the workload for {@code createMs} after. */
    private NodeRuntime node(long prepareMs, long createMs) throws Exception {
        return NodeRuntime.builder()
                .setCertBundle(pki.bundle("n1"))
                .setCoordinator("127.0.0.1:" + transport.port())
                .setWorkload("linear")
                .setNodeFactory(new NodeFactory() {
                    @Override
                    public void prepare() throws InterruptedException {
                        Thread.sleep(prepareMs);
                        events.add("prepared");
                    }

                    @Override
                    public Node create(String id, Config cfg) throws InterruptedException {
                        events.add("building");
                        Thread.sleep(createMs);
                        events.add("built");
                        return new Node(id, new LinearWorkload(id, SHAPE));
                    }
                })
                .setWorkDir(tmp.resolve("n1"))
                .optPullWait(Duration.ofSeconds(1))
                .optBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .build();
    }

    private static Thread run(NodeRuntime rt, AtomicReference<Throwable> failure) {
        Thread t = new Thread(
                () -> {
                    try {
                        rt.run();
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                },
                "node-n1");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private RecordingSink round1() throws InterruptedException {
        RecordingSink sink = new RecordingSink();
        transport.sendAndReceive(
                List.of(Instruction.train("startup", 1, "n1", Config.empty(), LinearWorkload.initial(SHAPE))),
                sink,
                Duration.ofSeconds(20));
        return sink;
    }

    @Test
    void aNodeWhoseWorkloadIsSlowToBuildHeartbeatsMeanwhileAndGetsRound1() throws Exception {
        NodeRuntime rt = node(0, SLOW_MS);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = run(rt, failure);
        try {
            assertThat(transport.awaitNodes(1, Duration.ofSeconds(10))).hasSize(1);
            // round 1 starts as soon as the node registered, while it is still building its workload
            RecordingSink sink = round1();
            assertThat(sink.failures).isEmpty();
            assertThat(sink.replies).singleElement().extracting(Reply::nodeId).isEqualTo("n1");
            assertThat(events).noneMatch(e -> e.startsWith("lost"));
            assertThat(events).containsSubsequence("registered n1", "building", "built");
        } finally {
            rt.stop();
            t.join(5000);
        }
        assertThat(failure.get()).isNull();
    }

    @Test
    void slowPreparationHappensBeforeRegistering() throws Exception {
        NodeRuntime rt = node(SLOW_MS, 0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = run(rt, failure);
        try {
            assertThat(transport.awaitNodes(1, Duration.ofMillis(SLOW_MS / 2))).isEmpty();
            assertThat(transport.awaitNodes(1, Duration.ofSeconds(10))).hasSize(1);
            RecordingSink sink = round1();
            assertThat(sink.failures).isEmpty();
            assertThat(sink.replies).hasSize(1);
            assertThat(events).containsSubsequence("prepared", "registered n1", "building", "built");
            assertThat(events).noneMatch(e -> e.startsWith("lost"));
        } finally {
            rt.stop();
            t.join(5000);
        }
        assertThat(failure.get()).isNull();
    }

    @Test
    void aFinishedRunEndsTheNodeNormallyWithRunComplete() throws Exception {
        NodeRuntime rt = node(0, 0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = run(rt, failure);
        assertThat(transport.awaitNodes(1, Duration.ofSeconds(10))).hasSize(1);
        assertThat(round1().replies).hasSize(1);
        assertThat(rt.runComplete()).isFalse();
        long t0 = System.nanoTime();
        assertThat(transport.completeRun(Duration.ofSeconds(5))).isEmpty();
        t.join(5000);
        assertThat(t.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        assertThat(rt.runComplete()).isTrue();
        // the parked poll was answered at once, not at the end of its 1 s window
        assertThat((System.nanoTime() - t0) / 1e6).isLessThan(900);
    }

    @Test
    void aNodeThatRegistersAfterTheRunFinishedEndsNormallyToo() throws Exception {
        assertThat(transport.completeRun(Duration.ofMillis(100))).isEmpty();
        NodeRuntime rt = node(0, 0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = run(rt, failure);
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        assertThat(rt.runComplete()).isTrue();
        assertThat(events).doesNotContain("building");
    }
}
