package dev.atelier.transport.coordinator;

import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.transport.proto.Idle;
import dev.atelier.transport.proto.InstructionFrame;
import dev.atelier.transport.proto.InstructionHeader;
import dev.atelier.transport.wire.ChunkSource;
import dev.atelier.transport.wire.FramePump;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-poll {@code PullInstruction} call: parks until the node's next instruction is queued
 * or the wait ends (then answers Idle), and streams the instruction as header, chunks and end
 * under outbound flow control, once the download {@link AdmissionGate} lets it. If the call breaks mid-stream the instruction goes back to the
 * node's mailbox. Thread-safe.
 */
final class PullCall {
    private static final Logger LOG = LoggerFactory.getLogger("atelier.coordinator");
    /** Idle reason once the run has finished its last round. */
    static final String RUN_COMPLETE = "run complete";

    private final HandlerContext ctx;
    private final NodeSession session;
    private final ServerCallStreamObserver<InstructionFrame> out;
    private volatile FramePump<InstructionFrame> pump;
    private PendingInstruction sending;
    private ChunkSource source;
    private ScheduledFuture<?> idleTimer;
    private AdmissionGate.Ticket ticket;
    private boolean done;
    private long frameBytes;
    private long startNanos;

    PullCall(HandlerContext ctx, NodeSession session, ServerCallStreamObserver<InstructionFrame> out) {
        this.ctx = ctx;
        this.session = session;
        this.out = out;
        out.setOnReadyHandler(() -> {
            FramePump<InstructionFrame> p = pump;
            if (p != null) {
                p.run();
            }
        });
        out.setOnCancelHandler(this::cancelled);
    }

    /** Sends the queued instruction now, or parks for up to {@code waitMs}. */
    void start(long waitMs) {
        if (ctx.directory().runComplete()) {
            runComplete();
            return;
        }
        while (true) {
            PendingInstruction p = session.takeOrPark(this);
            if (p == null) {
                if (ctx.directory().runComplete()) {
                    // completeRun() may have looked for parked polls just before this one parked
                    runComplete();
                    return;
                }
                try {
                    synchronized (this) {
                        if (!done) {
                            idleTimer = ctx.scheduler()
                                    .schedule(
                                            () -> idle("no instruction within the poll window"),
                                            waitMs,
                                            TimeUnit.MILLISECONDS);
                        }
                    }
                } catch (RejectedExecutionException shuttingDown) {
                    idle("coordinator shutting down");
                }
                return;
            }
            if (p.round.startSending(p)) {
                send(p);
                return;
            }
        }
    }

    /** Called by the transport when an instruction is offered to this parked call. */
    void deliver(PendingInstruction p) {
        synchronized (this) {
            if (idleTimer != null) {
                idleTimer.cancel(false);
            }
        }
        if (p.round.startSending(p)) {
            send(p);
        } else {
            idle("instruction withdrawn");
        }
    }

    /** A newer poll from the same node replaces this one. */
    void supersede() {
        idle("superseded by a newer poll");
    }

    /** The run has finished: answers the poll with "run complete" (the node exits). */
    void runComplete() {
        if (idle(RUN_COMPLETE, true)) {
            ctx.directory().toldComplete(session.nodeId());
        }
    }

    private void idle(String reason) {
        idle(reason, false);
    }

    private boolean idle(String reason, boolean complete) {
        synchronized (this) {
            if (done || sending != null) {
                return false;
            }
            done = true;
            if (idleTimer != null) {
                idleTimer.cancel(false);
            }
        }
        session.unpark(this);
        try {
            out.onNext(InstructionFrame.newBuilder()
                    .setIdle(Idle.newBuilder().setReason(reason).setRunComplete(complete))
                    .build());
            out.onCompleted();
        } catch (RuntimeException e) {
            LOG.debug("idle answer to {} not sent: {}", session.nodeId(), e.getMessage());
            return false;
        }
        return true;
    }

    private void send(PendingInstruction p) {
        InstructionHeader header = p.header();
        synchronized (this) {
            if (done) {
                p.round.requeue(p);
                return;
            }
            sending = p;
            startNanos = System.nanoTime();
            try {
                source = new ChunkSource(p.payload);
            } catch (IOException e) {
                done = true;
                LOG.error(
                        "round {}: cannot read the instruction payload for {}: {}",
                        p.roundNumber(),
                        session.nodeId(),
                        e.getMessage());
                p.round.requeue(p);
                out.onError(io.grpc.Status.INTERNAL
                        .withDescription("coordinator could not read the payload")
                        .asRuntimeException());
                return;
            }
        }
        boolean[] headerSent = {false};
        boolean[] endSent = {false};
        pump = new FramePump<>(
                out,
                () -> {
                    InstructionFrame f;
                    if (!headerSent[0]) {
                        headerSent[0] = true;
                        f = InstructionFrame.newBuilder().setHeader(header).build();
                    } else if (source.hasMoreChunks()) {
                        f = InstructionFrame.newBuilder()
                                .setChunk(source.nextChunk())
                                .build();
                    } else if (!endSent[0]) {
                        endSent[0] = true;
                        f = InstructionFrame.newBuilder().setEnd(source.end()).build();
                    } else {
                        return null;
                    }
                    frameBytes += f.getSerializedSize();
                    return f;
                },
                true,
                this::finished);
        AdmissionGate.Ticket t = ctx.downloads().admit(pump::start);
        synchronized (this) {
            ticket = t;
            if (done) {
                ctx.downloads().release(t);
            }
        }
    }

    private void finished(Throwable error) {
        PendingInstruction p;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            p = sending;
        }
        ctx.downloads().release(ticket);
        closeSource();
        record(p);
        if (error == null) {
            p.round.sent(p);
            double s = (System.nanoTime() - startNanos) / 1e9;
            LOG.info(
                    "round {}: instruction sent to {} ({} bytes in {} s)",
                    p.roundNumber(),
                    session.nodeId(),
                    p.payload.size(),
                    String.format("%.2f", s));
            ctx.listener().onInstructionSent(session.nodeId(), p.roundNumber(), p.payload.size(), s);
        } else {
            LOG.warn(
                    "round {}: sending to {} failed: {}; instruction requeued",
                    p.roundNumber(),
                    session.nodeId(),
                    error.getMessage());
            ctx.rounds().requeue(p);
        }
    }

    private void cancelled() {
        PendingInstruction p;
        synchronized (this) {
            if (idleTimer != null) {
                idleTimer.cancel(false);
            }
            if (done) {
                return;
            }
            done = true;
            p = sending;
        }
        session.unpark(this);
        FramePump<InstructionFrame> pm = pump;
        if (pm != null) {
            pm.stop();
        }
        ctx.downloads().release(ticket);
        if (p != null) {
            closeSource();
            record(p);
            LOG.info(
                    "round {}: {} dropped the instruction stream after {} bytes; requeued",
                    p.roundNumber(),
                    session.nodeId(),
                    source.offset());
            ctx.rounds().requeue(p);
        }
    }

    private void record(PendingInstruction p) {
        long params = source.offset();
        long compact = p.instruction.payload().length;
        var ledger = ctx.wire();
        ledger.record(session.nodeId(), p.roundNumber(), Direction.TO_NODE, PayloadKind.PARAMETERS, params);
        ledger.record(session.nodeId(), p.roundNumber(), Direction.TO_NODE, PayloadKind.COMPACT, compact);
        ledger.record(
                session.nodeId(),
                p.roundNumber(),
                Direction.TO_NODE,
                PayloadKind.CONTROL,
                Math.max(0, frameBytes - params - compact));
    }

    private void closeSource() {
        try {
            source.close();
        } catch (IOException ignored) {
            // read-only channel; nothing to flush
        }
    }
}
