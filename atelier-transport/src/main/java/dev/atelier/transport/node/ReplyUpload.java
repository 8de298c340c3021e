package dev.atelier.transport.node;

import dev.atelier.transport.proto.FederationGrpc;
import dev.atelier.transport.proto.PushEvent;
import dev.atelier.transport.proto.PushResult;
import dev.atelier.transport.proto.ReplyFrame;
import dev.atelier.transport.wire.ChunkSource;
import dev.atelier.transport.wire.FramePump;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Pushes one {@link PreparedReply}: sends the header, waits for the coordinator's Proceed
 * (admission control), then streams chunks and the end frame under outbound flow control (the
 * pump only writes while the stream is ready, so a slow link never buffers the payload in
 * memory) and waits for the single {@link PushResult}. One use per instance.
 */
final class ReplyUpload {
    private ReplyUpload() {}

    /**
     * @throws StatusRuntimeException when the call fails (coordinator unreachable...)
     */
    static PushResult push(FederationGrpc.FederationStub stub, PreparedReply reply)
            throws IOException, InterruptedException {
        CompletableFuture<PushResult> result = new CompletableFuture<>();
        try (ChunkSource source = new ChunkSource(reply.payload())) {
            boolean[] ended = {false};
            var observer = new ClientResponseObserver<ReplyFrame, PushEvent>() {
                private FramePump<ReplyFrame> pump;

                @Override
                public void beforeStart(ClientCallStreamObserver<ReplyFrame> requestStream) {
                    pump = new FramePump<>(
                            requestStream,
                            () -> {
                                if (source.hasMoreChunks()) {
                                    return ReplyFrame.newBuilder()
                                            .setChunk(source.nextChunk())
                                            .build();
                                }
                                if (!ended[0]) {
                                    ended[0] = true;
                                    return ReplyFrame.newBuilder()
                                            .setEnd(source.end())
                                            .build();
                                }
                                return null;
                            },
                            true,
                            error -> {
                                if (error != null) {
                                    result.completeExceptionally(error);
                                }
                            });
                    requestStream.setOnReadyHandler(pump);
                }

                @Override
                public void onNext(PushEvent event) {
                    if (event.hasProceed()) {
                        pump.start();
                    } else if (event.hasResult()) {
                        pump.stop();
                        result.complete(event.getResult());
                    }
                }

                @Override
                public void onError(Throwable t) {
                    pump.stop();
                    result.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                    result.completeExceptionally(
                            new IOException("the coordinator closed the upload without an outcome"));
                }
            };
            var requests = stub.pushReply(observer);
            requests.onNext(ReplyFrame.newBuilder().setHeader(reply.header()).build());
            if (!reply.header().getError().isEmpty()) {
                requests.onCompleted();
            }
            try {
                return result.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof StatusRuntimeException s) {
                    throw s;
                }
                throw new IOException("upload failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }
}
