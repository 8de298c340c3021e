package dev.atelier.transport.coordinator;

import dev.atelier.core.message.Failure;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.core.util.UntrustedText;
import dev.atelier.transport.proto.Proceed;
import dev.atelier.transport.proto.PushEvent;
import dev.atelier.transport.proto.PushResult;
import dev.atelier.transport.proto.PushResult.Outcome;
import dev.atelier.transport.proto.ReplyFrame;
import dev.atelier.transport.proto.ReplyHeader;
import dev.atelier.transport.wire.PayloadException;
import dev.atelier.transport.wire.StagedPayload;
import dev.atelier.transport.wire.WireSizes;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code PushReply} call: header → admission ({@link AdmissionGate}) → Proceed → chunks staged
 * to disk with per-chunk checks and manual inbound flow control (at most two chunks requested
 * ahead) → end frame → commit → the run's verdict (validation, aggregation) → one {@link PushResult}. A refusal at
 * any step answers at once with its reason, which the node logs; an aborted stream discards the
 * staged file and leaves the instruction open. Thread-safe.
 *
 * <p>Every path out of a session ({@link #finish}, {@link #aborted}, {@link #coordinatorFault},
 * {@link #stalled}) goes through {@link #release}, which gives the admission slot back. Header
 * fields are unsigned on the wire and are read as such. A local fault (staging disk, a bug) is the
 * coordinator's: the instruction stays open and the node is told {@code UNAVAILABLE}, which it
 * retries; an admitted upload silent for {@link WireLimits#uploadIdle()} is aborted.
 */
final class UploadSession implements StreamObserver<ReplyFrame> {
    private static final Logger LOG = LoggerFactory.getLogger("atelier.coordinator");
    private final HandlerContext ctx;
    private final String nodeId;
    private final ServerCallStreamObserver<PushEvent> out;
    private final long startNanos = System.nanoTime();
    private ReplyHeader header;
    private PendingInstruction pending;
    private StagedPayload staged;
    private AdmissionGate.Ticket ticket;
    private volatile boolean finished; // written under the lock, read by the idle timer without it
    private long frameBytes;
    private long admittedNanos;
    private volatile long lastFrameNanos;
    private volatile boolean delivering;
    private volatile ScheduledFuture<?> idleCheck;
    private Integer roundOf;

    UploadSession(HandlerContext ctx, String nodeId, ServerCallStreamObserver<PushEvent> out) {
        this.ctx = ctx;
        this.nodeId = nodeId;
        this.out = out;
        out.disableAutoRequest();
        out.setOnCancelHandler(() -> aborted("the node cancelled the upload"));
        out.request(1);
    }

    @Override
    public synchronized void onNext(ReplyFrame frame) {
        if (finished) {
            return;
        }
        frameBytes += frame.getSerializedSize();
        lastFrameNanos = System.nanoTime();
        ctx.directory().touch(nodeId);
        try {
            switch (frame.getFrameCase()) {
                case HEADER -> onHeader(frame.getHeader());
                case CHUNK -> {
                    if (staged == null) {
                        refuse(Outcome.REJECTED, "chunk received before the header was admitted (protocol error)");
                        return;
                    }
                    staged.accept(frame.getChunk());
                    out.request(1);
                }
                case END -> onEnd(frame);
                default -> refuse(Outcome.REJECTED, "empty reply frame (protocol error)");
            }
        } catch (PayloadException e) {
            refuse(Outcome.REJECTED, e.getMessage());
        } catch (IOException e) {
            coordinatorFault("staging the upload failed", e);
        } catch (RuntimeException e) {
            coordinatorFault("internal error while taking the upload", e);
        }
    }

    private void onHeader(ReplyHeader h) {
        if (header != null) {
            refuse(Outcome.REJECTED, "second reply header in one upload (protocol error)");
            return;
        }
        header = h;
        RoundBook book = ctx.rounds().current();
        pending = book == null ? null : book.find(h.getInstructionId());
        if (pending != null) {
            roundOf = pending.roundNumber();
        }
        if (pending == null) {
            finish(Outcome.LATE, ctx.rounds().lateReason(h.getInstructionId(), h.getRound()));
            return;
        }
        if (!pending.nodeId().equals(nodeId)) {
            PendingInstruction other = pending;
            pending = null;
            finish(
                    Outcome.REJECTED,
                    "instruction " + other.id + " was addressed to " + other.nodeId() + ", not to " + nodeId);
            return;
        }
        String duplicate = book.attach(pending, this);
        if (duplicate != null) {
            pending = null;
            finish(Outcome.DUPLICATE, duplicate);
            return;
        }
        String bad = ReplyHeaderCheck.problem(h, pending, ctx.limits().replyLimit(pending));
        if (bad != null) {
            refuse(Outcome.REJECTED, bad);
            return;
        }
        if (!h.getError().isEmpty()) {
            boolean recorded = book.fail(pending, new Failure(nodeId, Failure.Kind.ERROR, h.getError()));
            finish(
                    recorded ? Outcome.ERROR_RECORDED : Outcome.DUPLICATE,
                    recorded ? "error recorded: " + h.getError() : "instruction already has an outcome");
            return;
        }
        // admit may run proceed() right now, and proceed may finish this session: a ticket the
        // session has not seen yet must still be given back
        AdmissionGate.Ticket t = ctx.uploads().admit(this::proceed);
        ticket = t;
        if (finished) {
            ctx.uploads().release(t);
        }
    }

    /** Admission granted by the gate. */
    private synchronized void proceed() {
        if (finished) {
            return;
        }
        admittedNanos = System.nanoTime();
        lastFrameNanos = admittedNanos;
        try {
            staged = new StagedPayload(ctx.limits().stagingDir(), header.getParamsBytes());
            idleCheck = ctx.scheduler()
                    .schedule(this::checkIdle, ctx.limits().uploadIdle().toNanos(), TimeUnit.NANOSECONDS);
            out.onNext(PushEvent.newBuilder()
                    .setProceed(Proceed.getDefaultInstance())
                    .build());
            out.request(2);
        } catch (IOException e) {
            coordinatorFault("could not open a staging file", e);
        } catch (RuntimeException e) {
            coordinatorFault("internal error while admitting the upload", e);
        }
    }

    /** Timer thread: aborts an admitted upload that has been silent for the idle timeout. */
    private void checkIdle() {
        long idle = ctx.limits().uploadIdle().toNanos();
        long quiet = System.nanoTime() - lastFrameNanos;
        if (delivering) {
            return; // the end frame arrived; the run is taking the reply
        }
        if (quiet < idle) {
            // not under the session lock: the timer thread never waits for a chunk being written
            if (!finished) {
                idleCheck = ctx.scheduler().schedule(this::checkIdle, idle - quiet, TimeUnit.NANOSECONDS);
            }
            return;
        }
        stalled(idle);
    }

    private void onEnd(ReplyFrame frame) throws PayloadException, IOException {
        if (staged == null) {
            refuse(Outcome.REJECTED, "end frame before the header was admitted (protocol error)");
            return;
        }
        delivering = true;
        Path file = staged.commit(frame.getEnd());
        ctx.listener().onUploadReceived(nodeId, round(), staged.received(), (System.nanoTime() - admittedNanos) / 1e9);
        ReplyDelivery.Verdict d = ctx.delivery().deliver(pending, header, file);
        finish(d.outcome(), d.reason());
    }

    @Override
    public synchronized void onError(Throwable t) {
        aborted("stream broke: " + t.getMessage());
    }

    @Override
    public synchronized void onCompleted() {
        if (!finished) {
            refuse(Outcome.REJECTED, "upload closed before its end frame (protocol error)");
        }
    }

    /** The round ended while this upload was still running. */
    synchronized void abortLate(String reason) {
        if (!finished) {
            finish(Outcome.LATE, reason);
        }
    }

    /** Refuses the reply and records the refusal as the instruction's outcome. */
    private void refuse(Outcome outcome, String reason) {
        if (pending != null) {
            pending.round.fail(pending, new Failure(nodeId, Failure.Kind.REJECTED, reason));
        }
        finish(outcome, reason);
    }

    private void finish(Outcome outcome, String reason) {
        if (finished) {
            return;
        }
        finished = true;
        reason = UntrustedText.reason(reason); // may quote node text (error, instruction id): one safe line
        release();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long bytes = staged == null ? 0 : staged.received();
        switch (outcome) {
            case ACCEPTED, ERROR_RECORDED ->
                LOG.info(
                        "round {}: reply from {}: {} ({} bytes, {} s)",
                        round(),
                        nodeId,
                        outcome,
                        bytes,
                        String.format("%.2f", seconds));
            default -> LOG.warn("round {}: reply from {} {}: {}", round(), nodeId, outcome, reason);
        }
        record();
        ctx.listener().onUpload(nodeId, round(), outcome, reason, bytes, seconds);
        try {
            out.onNext(PushEvent.newBuilder()
                    .setResult(PushResult.newBuilder().setOutcome(outcome).setReason(reason))
                    .build());
            out.onCompleted();
        } catch (RuntimeException e) {
            LOG.debug("result for {} not delivered: {}", nodeId, e.getMessage());
        }
    }

    private synchronized void aborted(String why) {
        if (finished) {
            return;
        }
        finished = true;
        why = UntrustedText.reason(why);
        long bytes = staged == null ? 0 : staged.received();
        release();
        record();
        if (header != null) {
            LOG.warn(
                    "round {}: upload from {} aborted after {} of {} bytes ({}); staged data discarded, instruction still open",
                    round(),
                    nodeId,
                    bytes,
                    Long.toUnsignedString(header.getParamsBytes()),
                    why);
        }
    }

    /**
     * A local fault (staging disk, a bug) while taking the upload: logged as the coordinator's,
     * the slot released, the instruction left open (or, if the run already claimed it, closed as
     * a coordinator ERROR so the round can end), and the node told UNAVAILABLE so it pushes again.
     */
    private void coordinatorFault(String what, Exception e) {
        if (finished) {
            return;
        }
        finished = true;
        String why = what + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
        LOG.error(
                "round {}: coordinator fault (not {}'s) while taking its upload: {}; staged data discarded, "
                        + "node told to retry",
                round(),
                nodeId,
                why,
                e instanceof IOException ? null : e);
        release();
        record();
        if (pending != null && pending.round.state(pending) == PendingInstruction.State.DELIVERING) {
            pending.round.failClaimed(pending, new Failure(nodeId, Failure.Kind.ERROR, "coordinator error: " + why));
        }
        try {
            out.onError(Status.UNAVAILABLE
                    .withDescription("coordinator fault, not this node's: " + why
                            + "; the instruction stays open, push the reply again")
                    .asRuntimeException());
        } catch (RuntimeException ignored) {
            // the call is already gone
        }
    }

    /** The idle timeout fired: abort, release the slot, tell the node; the instruction stays open. */
    private synchronized void stalled(long idleNanos) {
        if (finished || delivering) {
            return;
        }
        long quiet = System.nanoTime() - lastFrameNanos;
        if (quiet < idleNanos) { // a frame arrived while the timer waited for the lock
            idleCheck = ctx.scheduler().schedule(this::checkIdle, idleNanos - quiet, TimeUnit.NANOSECONDS);
            return;
        }
        finished = true;
        long bytes = staged == null ? 0 : staged.received();
        String why = "no frame for " + ctx.limits().uploadIdle().toMillis() + " ms after " + bytes + " of "
                + Long.toUnsignedString(header.getParamsBytes()) + " bytes (upload idle timeout)";
        LOG.warn("round {}: upload from {} stalled: {}; slot released, instruction still open", round(), nodeId, why);
        release();
        record();
        try {
            out.onError(Status.DEADLINE_EXCEEDED
                    .withDescription("upload aborted by the coordinator: " + why
                            + "; the slot was released, the instruction stays open until the round deadline")
                    .asRuntimeException());
        } catch (RuntimeException ignored) {
            // the call is already gone
        }
    }

    private void release() {
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        if (staged != null) {
            staged.abort();
        }
        ctx.uploads().release(ticket);
        if (pending != null) {
            pending.round.detach(pending, this);
        }
    }

    private void record() {
        if (header == null) {
            return;
        }
        long params = staged == null ? 0 : staged.received();
        long metrics = WireSizes.metricBytes(header.getMetricsMap());
        long compact = header.getCompactPayload().size();
        int r = round();
        var ledger = ctx.wire();
        ledger.record(nodeId, r, Direction.FROM_NODE, PayloadKind.PARAMETERS, params);
        ledger.record(nodeId, r, Direction.FROM_NODE, PayloadKind.METRICS, metrics);
        ledger.record(nodeId, r, Direction.FROM_NODE, PayloadKind.COMPACT, compact);
        ledger.record(
                nodeId,
                r,
                Direction.FROM_NODE,
                PayloadKind.CONTROL,
                Math.max(0, frameBytes - params - metrics - compact));
    }

    /**
     * The round of the instruction this upload answers, for logs and the wire audit; 0 when it
     * answers none (unknown instruction). Never the header's claim: a node can name any round.
     */
    private int round() {
        return roundOf == null ? 0 : roundOf;
    }
}
