package dev.atelier.transport.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.testing.RecordingSink;
import dev.atelier.core.testing.TestThreads;
import dev.atelier.core.util.Cancellation;
import dev.atelier.transport.proto.Chunk;
import dev.atelier.transport.proto.PushResult.Outcome;
import dev.atelier.transport.proto.ReplyFrame;
import dev.atelier.transport.testing.LinearWorkload;
import dev.atelier.transport.testing.RawClient;
import dev.atelier.transport.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Wire-level misbehaviour: corruption, crashes mid-upload, duplicates, late and silent nodes. */
class ProtocolEdgeCasesTest {
    private static final Config SHAPE = Config.of(Map.of("rows", 64, "cols", 64));

    @TempDir
    Path tmp;

    private TestPki pki;
    private GrpcTransport transport;
    private RawClient raw;

    @RegisterExtension
    final TestThreads rounds = new TestThreads(); // blocking rounds: not on the common pool

    private final ParamSet model = LinearWorkload.initial(SHAPE);

    @BeforeEach
    void start() throws Exception {
        pki = TestPki.create(tmp.resolve("pki"), "raw");
        transport = GrpcTransport.builder()
                .setListen("127.0.0.1", 0)
                .setTls(pki.coordinatorTls())
                .setFederation(new FederationInfo("edge", "linear", Map.of()))
                .setWorkDir(tmp.resolve("coord"))
                .optChunkBytes(4096)
                .optHeartbeat(Duration.ofMillis(300))
                .optLivenessTimeout(Duration.ofSeconds(2))
                .build()
                .start();
        raw = new RawClient(pki.bundle("raw"), transport.port());
        raw.register();
    }

    @AfterEach
    void stop() {
        raw.close();
        transport.close();
    }

    private CompletableFuture<RecordingSink> round(int round, Duration deadline) {
        RecordingSink sink = new RecordingSink();
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        transport.sendAndReceive(
                                List.of(Instruction.train("edge", round, "raw", Config.empty(), model)),
                                sink,
                                deadline);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return sink;
                },
                rounds);
    }

    private List<ReplyFrame> validReply(RawClient.Pulled pulled) throws Exception {
        ParamSet updated = new LinearWorkload("raw", SHAPE)
                .handle(Instruction.train("edge", 1, "raw", Config.empty(), model), Cancellation.none())
                .params();
        return RawClient.frames(pulled.header(), updated, 100, 4096, tmp.resolve("raw-out"));
    }

    private long stagedFiles() throws Exception {
        try (Stream<Path> s = Files.list(tmp.resolve("coord/staging"))) {
            return s.count();
        }
    }

    @Test
    void instructionArrivesIntactInManyChunks() throws Exception {
        var sink = round(1, Duration.ofSeconds(10));
        RawClient.Pulled p = raw.pull(5000);
        assertThat(p.header().getParamsBytes()).isGreaterThan(4 * 4096);
        assertThat(p.params()).isEqualTo(dev.atelier.core.params.Safetensors.encode(model));
        assertThat(raw.push(validReply(p)).getOutcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(sink.get().replies).hasSize(1);
    }

    @Test
    void aWaitOfTwoToTheThirtyTwoMinusOneMillisecondsIsALongPollNotANegativeWait() throws Exception {
        // wait_ms is uint32: -1 in Java is 4294967295 ms, capped at 60 s. Read signed, it was a
        // negative wait and the pull answered "idle" at once, so a node could spin the coordinator.
        CompletableFuture<RawClient.Pulled> pull = CompletableFuture.supplyAsync(() -> raw.pull(-1), rounds);
        Thread.sleep(1200);
        assertThat(pull).as("still waiting for an instruction").isNotDone();
        var sink = round(1, Duration.ofSeconds(10));
        RawClient.Pulled p = pull.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(p).isNotNull();
        assertThat(p.header().getRound()).isEqualTo(1);
        assertThat(raw.push(validReply(p)).getOutcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(sink.get().replies).hasSize(1);
    }

    @Test
    void corruptChunkIsRejectedWithReasonAndNothingIsStaged() throws Exception {
        var sink = round(1, Duration.ofSeconds(10));
        RawClient.Pulled p = raw.pull(5000);
        List<ReplyFrame> frames = validReply(p);
        var result = raw.push(frames, frames.size(), f -> {
            if (f.hasChunk() && f.getChunk().getOffset() == 8192) {
                byte[] data = f.getChunk().getData().toByteArray();
                data[17] ^= 0x40;
                return ReplyFrame.newBuilder()
                        .setChunk(Chunk.newBuilder(f.getChunk()).setData(ByteString.copyFrom(data)))
                        .build();
            }
            return f;
        });
        assertThat(result.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.getReason()).contains("chunk 2").contains("SHA-256");
        RecordingSink s = sink.get();
        assertThat(s.replies).isEmpty();
        assertThat(s.failures).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Failure.Kind.REJECTED);
            assertThat(f.reason()).contains("SHA-256");
        });
        assertThat(stagedFiles()).isZero();
    }

    @Test
    void wholePayloadDigestMismatchIsRejected() throws Exception {
        var sink = round(1, Duration.ofSeconds(10));
        List<ReplyFrame> frames = validReply(raw.pull(5000));
        var result = raw.push(
                frames,
                frames.size(),
                f -> f.hasEnd()
                        ? ReplyFrame.newBuilder()
                                .setEnd(f.getEnd().toBuilder().setSha256(ByteString.copyFrom(new byte[32])))
                                .build()
                        : f);
        assertThat(result.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.getReason()).contains("whole-payload SHA-256 mismatch");
        assertThat(sink.get().failures).extracting(Failure::kind).containsExactly(Failure.Kind.REJECTED);
        assertThat(stagedFiles()).isZero();
    }

    @Test
    void crashMidUploadLeavesNothingAndTheRetrySucceedsOnceThenDuplicatesAreIgnored() throws Exception {
        var sink = round(1, Duration.ofSeconds(10));
        List<ReplyFrame> frames = validReply(raw.pull(5000));
        assertThat(raw.push(frames, frames.size() / 2, f -> f)).isNull();
        long deadline = System.currentTimeMillis() + 3000;
        while (stagedFiles() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stagedFiles()).isZero();
        assertThat(sink).isNotDone();

        assertThat(raw.push(frames).getOutcome()).isEqualTo(Outcome.ACCEPTED);
        RecordingSink s = sink.get();
        assertThat(s.replies)
                .singleElement()
                .satisfies(r -> assertThat(r.params().sameSpec(model)).isTrue());
        assertThat(s.failures).isEmpty();
        // the round is over: the same upload again is late, and changes nothing
        var again = raw.push(frames);
        assertThat(again.getOutcome()).isEqualTo(Outcome.LATE);
        assertThat(again.getReason()).contains("round 1 is over");
        assertThat(s.replies).hasSize(1);
    }

    @Test
    void secondUploadWhileTheRoundIsOpenIsADuplicate() throws Exception {
        RecordingSink sink = new RecordingSink();
        var other = pki.ca().issue("other", dev.atelier.transport.security.Role.NODE, List.of(), Duration.ofDays(1));
        try (RawClient second = new RawClient(other.bundle(), transport.port())) {
            second.register();
            var done = CompletableFuture.runAsync(
                    () -> {
                        try {
                            transport.sendAndReceive(
                                    List.of(
                                            Instruction.train("edge", 1, "raw", Config.empty(), model),
                                            Instruction.train("edge", 1, "other", Config.empty(), model)),
                                    sink,
                                    Duration.ofSeconds(10));
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    rounds);
            List<ReplyFrame> frames = validReply(raw.pull(5000));
            assertThat(raw.push(frames).getOutcome()).isEqualTo(Outcome.ACCEPTED);
            var dup = raw.push(frames);
            assertThat(dup.getOutcome()).isEqualTo(Outcome.DUPLICATE);
            assertThat(dup.getReason()).contains("already has an outcome");
            // a node cannot answer an instruction addressed to another node
            var stolen = second.push(frames);
            assertThat(stolen.getOutcome()).isEqualTo(Outcome.REJECTED);
            assertThat(stolen.getReason()).contains("addressed to raw");
            assertThat(sink.replies).hasSize(1);
            assertThat(done).isNotDone();
        }
    }

    @Test
    void stragglerIsDroppedAtTheDeadlineAndItsLateReplyIgnored() throws Exception {
        var sink = round(1, Duration.ofMillis(1500));
        List<ReplyFrame> frames = validReply(raw.pull(5000));
        long t0 = System.nanoTime();
        while (!sink.isDone()) {
            raw.heartbeat();
            Thread.sleep(100);
        }
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(3.0);
        assertThat(sink.get().failures).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Failure.Kind.TIMEOUT);
            assertThat(f.reason()).contains("straggler");
        });
        assertThat(raw.push(frames).getOutcome()).isEqualTo(Outcome.LATE);
    }

    @Test
    void silentNodeIsDroppedAsDisconnectedBeforeTheDeadline() throws Exception {
        long t0 = System.nanoTime();
        var sink = round(1, Duration.ofSeconds(30));
        raw.pull(5000);
        RecordingSink s = sink.get();
        // Liveness is 2 s and the round deadline 30 s: dropped well before the deadline. The margin
        // is wide because the liveness sweep runs late on a loaded 2-core machine (10.0 s seen).
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(20.0);
        assertThat(s.failures).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Failure.Kind.DISCONNECTED);
            assertThat(f.reason()).contains("silent");
        });
    }

    @Test
    void aReplyHeaderTheRunCannotRepresentIsRejectedAndTheRoundStillCloses() throws Exception {
        var sink = round(1, Duration.ofSeconds(10));
        RawClient.Pulled p = raw.pull(5000);
        ParamSet updated = new LinearWorkload("raw", SHAPE)
                .handle(Instruction.train("edge", 1, "raw", Config.empty(), model), Cancellation.none())
                .params();
        // uint64 num_examples of 2^64 - 1: no Reply can hold it
        List<ReplyFrame> frames = RawClient.frames(p.header(), updated, -1, 4096, tmp.resolve("raw-out"));
        var result = raw.push(frames);
        assertThat(result.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.getReason()).contains("malformed reply").contains("numExamples");
        RecordingSink s = sink.get();
        assertThat(s.replies).isEmpty();
        assertThat(s.failures)
                .singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo(Failure.Kind.REJECTED));
        assertThat(stagedFiles()).isZero();
    }

    @Test
    void anExceptionWhileTakingAReplyEndsItAsAFailureWithAReasonAndTheRoundCloses() throws Exception {
        // the 2^63 hang: an exception after the instruction was marked DELIVERING left it open forever
        List<Failure> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        var broken = new dev.atelier.core.transport.Transport.ReplySink() {
            @Override
            public void onReply(dev.atelier.core.message.Reply reply) {
                throw new ArithmeticException("long overflow");
            }

            @Override
            public void onFailure(Failure failure) {
                failures.add(failure);
            }
        };
        raw.heartbeat(); // the raw client does not heartbeat by itself; liveness is 2 s
        long t0 = System.nanoTime();
        var done = CompletableFuture.runAsync(
                () -> {
                    try {
                        transport.sendAndReceive(
                                List.of(Instruction.train("edge", 1, "raw", Config.empty(), model)),
                                broken,
                                Duration.ofSeconds(60));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                },
                rounds);
        RawClient.Pulled pulled = raw.pull(10_000);
        assertThat(pulled).as("the instruction reached the node").isNotNull();
        var result = raw.push(validReply(pulled));
        assertThat(result.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.getReason()).isEqualTo("coordinator error while taking the reply: long overflow");
        done.get(15, java.util.concurrent.TimeUnit.SECONDS); // closed by its one outcome, not the 60 s deadline
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(20);
        assertThat(failures)
                .singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo(Failure.Kind.ERROR))
                .satisfies(f -> assertThat(f.reason()).contains("long overflow"));
        assertThat(stagedFiles()).isZero();
    }

    @Test
    void theSinksRefusalReachesTheNodeWithItsReason() throws Exception {
        List<Failure> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        var refusing = new dev.atelier.core.transport.Transport.ReplySink() {
            @Override
            public void onReply(dev.atelier.core.message.Reply reply)
                    throws dev.atelier.core.filter.RejectedPayloadException {
                failures.add(new Failure(reply.nodeId(), Failure.Kind.REJECTED, "not today"));
                throw new dev.atelier.core.filter.RejectedPayloadException("not today");
            }

            @Override
            public void onFailure(Failure failure) {
                failures.add(failure);
            }
        };
        var done = CompletableFuture.runAsync(
                () -> {
                    try {
                        transport.sendAndReceive(
                                List.of(Instruction.train("edge", 1, "raw", Config.empty(), model)),
                                refusing,
                                Duration.ofSeconds(10));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                },
                rounds);
        var result = raw.push(validReply(raw.pull(5000)));
        assertThat(result.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.getReason()).isEqualTo("not today");
        done.get();
        assertThat(failures).hasSize(1); // recorded once, by the sink, not again by the transport
    }
}
