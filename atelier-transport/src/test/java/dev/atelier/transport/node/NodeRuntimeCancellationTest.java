package dev.atelier.transport.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.testing.RecordingSink;
import dev.atelier.core.testing.TestThreads;
import dev.atelier.core.util.Cancellation;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.Workload;
import dev.atelier.transport.coordinator.FederationInfo;
import dev.atelier.transport.coordinator.GrpcTransport;
import dev.atelier.transport.testing.LinearWorkload;
import dev.atelier.transport.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC node hands its workload a token cancelled at the round deadline and when it stops. */
class NodeRuntimeCancellationTest {
    @RegisterExtension
    final TestThreads rounds = new TestThreads(); // blocking rounds: not on the common pool

    private static final Config SHAPE = Config.of(Map.of("rows", 4, "cols", 4));

    @TempDir
    Path tmp;

    private TestPki pki;
    private GrpcTransport transport;

    /** 100 ms steps (up to 20 s), checking the token before each; keeps why it stopped. */
    static final class SlowSteps implements Workload, AutoCloseable {
        final AtomicInteger taken = new AtomicInteger();
        final CompletableFuture<String> stoppedBecause = new CompletableFuture<>();
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public Reply handle(Instruction ins, Cancellation cancel) throws Exception {
            started.countDown();
            for (int i = 0; i < 200; i++) {
                try {
                    cancel.throwIfCancelled();
                } catch (CancellationException e) {
                    stoppedBecause.complete(e.getMessage());
                    throw e;
                }
                Thread.sleep(100);
                taken.incrementAndGet();
            }
            return new Reply(ins.nodeId(), ins.round(), ins.params(), 1, Map.of(), null);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @BeforeEach
    void start() throws Exception {
        pki = TestPki.create(tmp.resolve("pki"), "n1");
        transport = GrpcTransport.builder()
                .setListen("127.0.0.1", 0)
                .setTls(pki.coordinatorTls())
                .setFederation(new FederationInfo("cancel", "linear", Map.of()))
                .setWorkDir(tmp.resolve("coord"))
                .optHeartbeat(Duration.ofMillis(200))
                .optLivenessTimeout(Duration.ofSeconds(2))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        transport.close();
    }

    private NodeRuntime node(SlowSteps workload) throws Exception {
        return NodeRuntime.builder()
                .setCertBundle(pki.bundle("n1"))
                .setCoordinator("127.0.0.1:" + transport.port())
                .setWorkload("linear")
                .setNodeFactory((id, cfg) -> new Node(id, workload))
                .setWorkDir(tmp.resolve("n1"))
                .optPullWait(Duration.ofSeconds(1))
                .optBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .build();
    }

    private static Thread run(NodeRuntime rt) {
        Thread t = new Thread(
                () -> {
                    try {
                        rt.run();
                    } catch (Exception e) {
                        // the test checks what the workload saw
                    }
                },
                "node-n1");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private CompletableFuture<RecordingSink> round(Duration deadline) {
        RecordingSink sink = new RecordingSink();
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        transport.sendAndReceive(
                                List.of(Instruction.train(
                                        "cancel", 1, "n1", Config.empty(), LinearWorkload.initial(SHAPE))),
                                sink,
                                deadline);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return sink;
                },
                rounds);
    }

    @Test
    void workloadStopsAtTheInstructionsDeadline() throws Exception {
        SlowSteps w = new SlowSteps();
        NodeRuntime rt = node(w);
        Thread t = run(rt);
        try {
            transport.awaitNodes(1, Duration.ofSeconds(10));
            RecordingSink sink = round(Duration.ofMillis(1500)).get(20, TimeUnit.SECONDS);
            assertThat(sink.replies).isEmpty();
            assertThat(sink.failures).singleElement().extracting(Failure::kind).isEqualTo(Failure.Kind.TIMEOUT);
            assertThat(w.stoppedBecause.get(5, TimeUnit.SECONDS))
                    .startsWith("round 1 deadline ")
                    .endsWith(" passed");
            // At most 15 steps of 100 ms fit before the 1.5 s deadline, out of 200.
            assertThat(w.taken.get()).isBetween(1, 15);
        } finally {
            rt.stop();
            t.join(5000);
        }
    }

    @Test
    void stoppingTheRuntimeCancelsTheWorkAndClosesTheNode() throws Exception {
        SlowSteps w = new SlowSteps();
        NodeRuntime rt = node(w);
        Thread t = run(rt);
        transport.awaitNodes(1, Duration.ofSeconds(10));
        CompletableFuture<RecordingSink> pending = round(Duration.ofSeconds(4));
        assertThat(w.started.await(10, TimeUnit.SECONDS)).isTrue();
        rt.stop();
        assertThat(w.stoppedBecause.get(5, TimeUnit.SECONDS)).isEqualTo("the node runtime is stopping");
        t.join(5000);
        assertThat(t.isAlive()).isFalse();
        assertThat(w.closed).isTrue();
        assertThat(w.taken.get()).isLessThan(50);
        // Stopped 4 s before the round deadline: nothing reached the coordinator.
        RecordingSink sink = pending.get(20, TimeUnit.SECONDS);
        assertThat(sink.replies).isEmpty();
        assertThat(sink.failures).singleElement().extracting(Failure::nodeId).isEqualTo("n1");
    }
}
