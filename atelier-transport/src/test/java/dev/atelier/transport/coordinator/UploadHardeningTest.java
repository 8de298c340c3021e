package dev.atelier.transport.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.testing.RecordingSink;
import dev.atelier.core.testing.TestThreads;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.core.util.Cancellation;
import dev.atelier.transport.proto.PushResult;
import dev.atelier.transport.proto.PushResult.Outcome;
import dev.atelier.transport.proto.ReplyFrame;
import dev.atelier.transport.security.Role;
import dev.atelier.transport.testing.LinearWorkload;
import dev.atelier.transport.testing.NodeThreads;
import dev.atelier.transport.testing.RawClient;
import dev.atelier.transport.testing.TestPki;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile or unlucky upload never costs a slot for good: unsigned header extremes, local staging
 * faults and nodes stalling after Proceed. The transport has two upload slots, so a leak shows
 * after two events.
 */
class UploadHardeningTest {
    @RegisterExtension
    final TestThreads rounds = new TestThreads(); // blocking rounds: not on the common pool

    private static final Config SHAPE = Config.of(Map.of("rows", 32, "cols", 32));

    @TempDir
    Path tmp;

    private TestPki pki;
    private GrpcTransport transport;
    private final List<RawClient> clients = new ArrayList<>();
    private final ParamSet model = LinearWorkload.initial(SHAPE);

    @BeforeEach
    void start() throws Exception {
        pki = TestPki.create(tmp.resolve("pki"), "raw");
        transport = GrpcTransport.builder()
                .setListen("127.0.0.1", 0)
                .setTls(pki.coordinatorTls())
                .setFederation(new FederationInfo("hard", "linear", SHAPE.values()))
                .setWorkDir(tmp.resolve("coord"))
                .optChunkBytes(4096)
                .optHeartbeat(Duration.ofMillis(300))
                .optLivenessTimeout(Duration.ofSeconds(2))
                .optMaxConcurrentUploads(2)
                .optUploadIdleTimeout(Duration.ofSeconds(1))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        transport.close();
    }

    private RawClient client(String name) throws Exception {
        Path bundle = name.equals("raw")
                ? pki.bundle("raw")
                : pki.ca().issue(name, Role.NODE, List.of(), Duration.ofDays(1)).bundle();
        RawClient c = new RawClient(bundle, transport.port());
        clients.add(c);
        c.register();
        return c;
    }

    private CompletableFuture<RecordingSink> round(List<String> nodes, Duration deadline) {
        RecordingSink sink = new RecordingSink();
        List<Instruction> ins = nodes.stream()
                .map(n -> Instruction.train("hard", 1, n, Config.empty(), model))
                .toList();
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        transport.sendAndReceive(ins, sink, deadline);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return sink;
                },
                rounds);
    }

    private List<ReplyFrame> reply(RawClient.Pulled pulled, String name) throws Exception {
        ParamSet updated = new LinearWorkload(name, SHAPE)
                .handle(Instruction.train("hard", 1, name, Config.empty(), model), Cancellation.none())
                .params();
        return new ArrayList<>(RawClient.frames(pulled.header(), updated, 100, 4096, tmp.resolve(name + "-out")));
    }

    private static List<ReplyFrame> withHeader(
            List<ReplyFrame> frames,
            java.util.function.UnaryOperator<dev.atelier.transport.proto.ReplyHeader.Builder> edit) {
        List<ReplyFrame> out = new ArrayList<>(frames);
        out.set(
                0,
                ReplyFrame.newBuilder()
                        .setHeader(edit.apply(frames.get(0).getHeader().toBuilder()))
                        .build());
        return out;
    }

    private long stagedFiles() throws Exception {
        try (Stream<Path> s = Files.list(tmp.resolve("coord/staging"))) {
            return s.count();
        }
    }

    @Test
    void paramsBytesOfTwoToTheSixtyFourMinusOneIsRefusedAsUnsigned() throws Exception {
        RawClient raw = client("raw");
        var sink = round(List.of("raw"), Duration.ofSeconds(10));
        List<ReplyFrame> frames = reply(raw.pull(5000), "raw");
        PushResult r = raw.push(withHeader(frames, h -> h.setParamsBytes(-1L)));
        assertThat(r.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(r.getReason()).contains("18446744073709551615 bytes exceeds the limit");
        assertThat(sink.get(10, TimeUnit.SECONDS).failures)
                .singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo(Failure.Kind.REJECTED));
        assertThat(stagedFiles()).isZero();
    }

    @Test
    void aReplyClaimingAnotherRoundIsRefusedWithTheRoundReadUnsigned() throws Exception {
        RawClient raw = client("raw");
        var sink = round(List.of("raw"), Duration.ofSeconds(10));
        List<ReplyFrame> frames = reply(raw.pull(5000), "raw");
        PushResult r = raw.push(withHeader(frames, h -> h.setRound(-1)));
        assertThat(r.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(r.getReason()).contains("claims round 4294967295").contains("for round 1");
        assertThat(sink.get(10, TimeUnit.SECONDS).replies).isEmpty();
    }

    @Test
    void stagingFaultsAreTheCoordinatorsAndNeverLeakASlotOrPoisonTheNode() throws Exception {
        RawClient raw = client("raw");
        var sink = round(List.of("raw"), Duration.ofSeconds(30));
        List<ReplyFrame> frames = reply(raw.pull(5000), "raw");
        Path staging = tmp.resolve("coord/staging");
        Files.delete(staging);
        Files.writeString(staging, "a file where the staging folder should be: every staging write fails");
        for (int i = 0; i < 5; i++) { // more faults than the two slots
            assertThatThrownBy(() -> raw.push(frames))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription())
                                .contains("coordinator fault, not this node's")
                                .contains("push the reply again");
                    });
        }
        assertThat(sink).isNotDone(); // nothing recorded against the node
        Files.delete(staging);
        Files.createDirectories(staging);
        long t0 = System.nanoTime();
        assertThat(raw.push(frames).getOutcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5.0);
        RecordingSink s = sink.get(10, TimeUnit.SECONDS);
        assertThat(s.replies).hasSize(1);
        assertThat(s.failures).isEmpty();
        assertThat(stagedFiles()).isZero();
    }

    @Test
    void aRealNodeToldOfAStagingFaultRetriesAndIsAccepted() throws Exception {
        Path staging = tmp.resolve("coord/staging");
        Files.delete(staging);
        Files.writeString(staging, "not a folder");
        try (NodeThreads nodes = new NodeThreads()) {
            nodes.start("raw", pki, transport.port(), tmp);
            assertThat(transport.awaitNodes(1, Duration.ofSeconds(10))).hasSize(1);
            var sink = round(List.of("raw"), Duration.ofSeconds(30));
            long end = System.nanoTime() + 10_000_000_000L;
            // the header of the first, faulted push is in the audit: the fault happened
            while (transport.ledger().total(Direction.FROM_NODE, PayloadKind.METRICS) == 0 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            Files.delete(staging);
            Files.createDirectories(staging);
            RecordingSink s = sink.get(20, TimeUnit.SECONDS);
            assertThat(s.failures).isEmpty();
            assertThat(s.replies)
                    .singleElement()
                    .satisfies(r -> assertThat(r.nodeId()).isEqualTo("raw"));
            assertThat(nodes.awaitOutcomes(1, Duration.ofSeconds(5)))
                    .singleElement()
                    .satisfies(o -> assertThat(o.outcome()).isEqualTo(Outcome.ACCEPTED));
        }
    }

    @Test
    void nodesStallingAfterProceedLoseTheirSlotsAndAnHonestUploadGetsOne() throws Exception {
        RawClient raw = client("raw");
        RawClient s1 = client("stall-1");
        RawClient s2 = client("stall-2");
        var sink = round(List.of("raw", "stall-1", "stall-2"), Duration.ofSeconds(30));
        List<ReplyFrame> honest = reply(raw.pull(5000), "raw");
        List<ReplyFrame> f1 = reply(s1.pull(5000), "stall-1");
        List<ReplyFrame> f2 = reply(s2.pull(5000), "stall-2");
        CompletableFuture<Object> e1 = s1.pushAndStall(f1, 2); // header and one chunk, then silence
        CompletableFuture<Object> e2 = s2.pushAndStall(f2, 2);
        long t0 = System.nanoTime();
        assertThat(raw.push(honest).getOutcome()).isEqualTo(Outcome.ACCEPTED);
        double waited = (System.nanoTime() - t0) / 1e9;
        assertThat(waited).isBetween(0.5, 5.0); // held back by the stallers until their idle timeout
        for (var e : List.of(e1, e2)) {
            assertThat(e.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(StatusRuntimeException.class, x -> {
                assertThat(x.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                assertThat(x.getStatus().getDescription())
                        .contains("upload idle timeout")
                        .contains("slot was released");
            });
        }
        RecordingSink s = sink.get(15, TimeUnit.SECONDS);
        assertThat(s.replies)
                .singleElement()
                .satisfies(r -> assertThat(r.nodeId()).isEqualTo("raw"));
        assertThat(s.failures).extracting(Failure::kind).doesNotContain(Failure.Kind.REJECTED);
        assertThat(stagedFiles()).isZero();
    }
}
