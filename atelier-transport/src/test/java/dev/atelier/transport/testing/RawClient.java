package dev.atelier.transport.testing;

import dev.atelier.core.params.ParamSet;
import dev.atelier.transport.proto.FederationGrpc;
import dev.atelier.transport.proto.InstructionFrame;
import dev.atelier.transport.proto.InstructionHeader;
import dev.atelier.transport.proto.PullRequest;
import dev.atelier.transport.proto.PushEvent;
import dev.atelier.transport.proto.PushResult;
import dev.atelier.transport.proto.RegisterRequest;
import dev.atelier.transport.proto.RegisterResponse;
import dev.atelier.transport.proto.ReplyFrame;
import dev.atelier.transport.proto.ReplyHeader;
import dev.atelier.transport.security.CertLayout;
import dev.atelier.transport.security.TlsContexts;
import dev.atelier.transport.wire.ChunkSource;
import dev.atelier.transport.wire.PayloadFile;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A hand-driven node speaking the wire protocol frame by frame, to provoke edge cases. */
public final class RawClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final FederationGrpc.FederationBlockingStub blocking;
    private final FederationGrpc.FederationStub async;

    public RawClient(Path bundle, int port) throws Exception {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
                .sslContext(TlsContexts.client(new CertLayout.Bundle(bundle)))
                .maxInboundMessageSize(80 << 20)
                .build();
        blocking = FederationGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        async = FederationGrpc.newStub(channel);
    }

    public RegisterResponse register() {
        return blocking.register(RegisterRequest.newBuilder()
                .setProtocolVersion(1)
                .setWorkload("linear")
                .build());
    }

    public void heartbeat() {
        blocking.heartbeat(dev.atelier.transport.proto.HeartbeatRequest.getDefaultInstance());
    }

    /** A pulled instruction: its header and raw parameter bytes (tests only: small payloads). */
    public record Pulled(InstructionHeader header, byte[] params) {}

    public Pulled pull(int waitMs) {
        Iterator<InstructionFrame> it = blocking.pullInstruction(
                PullRequest.newBuilder().setWaitMs(waitMs).build());
        InstructionFrame first = it.next();
        if (first.hasIdle()) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (it.hasNext()) {
            InstructionFrame f = it.next();
            if (f.hasChunk()) {
                bytes.writeBytes(f.getChunk().getData().toByteArray());
            }
        }
        return new Pulled(first.getHeader(), bytes.toByteArray());
    }

    /** Header plus the chunk and end frames of {@code params}, chunked at {@code chunkBytes}. */
    public static List<ReplyFrame> frames(
            InstructionHeader ins, ParamSet params, long examples, int chunkBytes, Path tmp) throws Exception {
        List<ReplyFrame> out = new ArrayList<>();
        try (PayloadFile pf = PayloadFile.encode(params, tmp, chunkBytes);
                ChunkSource src = new ChunkSource(pf)) {
            out.add(ReplyFrame.newBuilder()
                    .setHeader(ReplyHeader.newBuilder()
                            .setInstructionId(ins.getInstructionId())
                            .setRound(ins.getRound())
                            .setNumExamples(examples)
                            .putMetrics("loss", 0.5)
                            .setParamsBytes(pf.size()))
                    .build());
            while (src.hasMoreChunks()) {
                out.add(ReplyFrame.newBuilder().setChunk(src.nextChunk()).build());
            }
            out.add(ReplyFrame.newBuilder().setEnd(src.end()).build());
        }
        return out;
    }

    /** Sends the header, waits for Proceed (or an early result), then the rest; returns the result. */
    public PushResult push(List<ReplyFrame> frames) throws Exception {
        return push(frames, frames.size(), UnaryOperator.identity());
    }

    /**
     * Sends the first {@code sendCount} frames (each passed through {@code tamper}); if fewer than
     * all, cancels the call afterwards as a crashing node would and returns null.
     */
    public PushResult push(List<ReplyFrame> frames, int sendCount, UnaryOperator<ReplyFrame> tamper) throws Exception {
        Upload u = new Upload();
        u.request.onNext(tamper.apply(frames.get(0)));
        u.proceed.get(10, TimeUnit.SECONDS);
        if (u.end.isDone()) {
            return u.result();
        }
        for (int i = 1; i < sendCount; i++) {
            u.request.onNext(tamper.apply(frames.get(i)));
        }
        if (sendCount < frames.size()) {
            Thread.sleep(200);
            u.request.cancel("simulated crash mid-upload", null);
            return null;
        }
        u.request.onCompleted();
        u.end.get(10, TimeUnit.SECONDS);
        return u.result();
    }

    /**
     * Sends the header, waits for Proceed, sends the next {@code sendCount - 1} frames and then goes
     * silent without closing the call, as a stalled node would; the future completes with what the
     * coordinator ends the call with (a result, or the error it closes the call with).
     */
    public CompletableFuture<Object> pushAndStall(List<ReplyFrame> frames, int sendCount) throws Exception {
        Upload u = new Upload();
        u.request.onNext(frames.get(0));
        u.proceed.get(10, TimeUnit.SECONDS);
        for (int i = 1; i < sendCount; i++) {
            u.request.onNext(frames.get(i));
        }
        return u.end;
    }

    /**
     * One PushReply call: {@code proceed} completes on Proceed or on the call's end; {@code end}
     * with the {@link PushResult} or the error the coordinator ends the call with.
     */
    private final class Upload {
        final CompletableFuture<Void> proceed = new CompletableFuture<>();
        final CompletableFuture<Object> end = new CompletableFuture<>();
        final ClientCallStreamObserver<ReplyFrame> request;

        @SuppressWarnings("unchecked")
        Upload() {
            ClientCallStreamObserver<ReplyFrame>[] req = new ClientCallStreamObserver[1];
            async.pushReply(new ClientResponseObserver<ReplyFrame, PushEvent>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<ReplyFrame> r) {
                    req[0] = r;
                }

                @Override
                public void onNext(PushEvent e) {
                    if (!e.hasProceed()) {
                        end.complete(e.getResult());
                    }
                    proceed.complete(null);
                }

                @Override
                public void onError(Throwable t) {
                    end.complete(t);
                    proceed.complete(null);
                }

                @Override
                public void onCompleted() {}
            });
            request = req[0];
        }

        /** The result; an error the call ended with is thrown as the ExecutionException it always was. */
        PushResult result() throws ExecutionException {
            Object o = end.getNow(null);
            if (o instanceof Throwable t) {
                throw new ExecutionException(t);
            }
            return (PushResult) o;
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
