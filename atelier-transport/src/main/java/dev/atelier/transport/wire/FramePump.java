package dev.atelier.transport.wire;

import io.grpc.Status;
import io.grpc.stub.CallStreamObserver;
import java.util.function.Consumer;

/**
 * Sends frames only while the gRPC stream is ready (outbound flow control): a slow receiver
 * stops the pump through HTTP/2 windows, so at most about one frame per stream is buffered in
 * memory. Register {@link #run} as the stream's on-ready handler and call it once to start.
 *
 * <p>Thread-safe: concurrent on-ready callbacks are serialized.
 *
 * @param <T> frame type
 */
public final class FramePump<T> implements Runnable {
    /** Produces frames; returns null when the stream is complete. */
    @FunctionalInterface
    public interface Source<T> {
        T next() throws Exception;
    }

    private final CallStreamObserver<T> out;
    private final Source<T> source;
    private final boolean completeWhenDone;
    private final Consumer<Throwable> onFinish;
    private boolean finished;
    private volatile boolean started;

    /**
     * @param completeWhenDone call {@code onCompleted()} after the last frame
     * @param onFinish         called once with null on success or the failure
     */
    public FramePump(
            CallStreamObserver<T> out, Source<T> source, boolean completeWhenDone, Consumer<Throwable> onFinish) {
        this.out = out;
        this.source = source;
        this.completeWhenDone = completeWhenDone;
        this.onFinish = onFinish;
    }

    /** Starts pumping; before this, ready callbacks are ignored. */
    public void start() {
        started = true;
        run();
    }

    @Override
    public synchronized void run() {
        if (!started || finished) {
            return;
        }
        try {
            while (out.isReady()) {
                T frame = source.next();
                if (frame == null) {
                    finished = true;
                    if (completeWhenDone) {
                        out.onCompleted();
                    }
                    onFinish.accept(null);
                    return;
                }
                out.onNext(frame);
            }
        } catch (Exception e) {
            finished = true;
            out.onError(Status.INTERNAL
                    .withDescription("sending failed: " + e.getMessage())
                    .withCause(e)
                    .asRuntimeException());
            onFinish.accept(e);
        }
    }

    /** Stops without sending more (e.g. the call was cancelled). */
    public synchronized void stop() {
        finished = true;
    }

    public synchronized boolean finished() {
        return finished;
    }
}
