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
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code PushReply} call: header → admission ({@link AdmissionGate}) → Proceed → chunks staged
 * to disk with per-chunk checks and manual inbound flow control (at most two chunks requested
 * ahead) → end frame → commit → the run's verdict (validation, aggregation) → one {@link PushResult}. A refusal at
 * any step answers at once with its reason, which the node logs; an aborted stream discards the
 * staged file and leaves the instruction open. Thread-safe.
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
    private boolean finished;
    private long frameBytes;
    private long admittedNanos;

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
            LOG.error("round {}: staging the upload from {} failed: {}", round(), nodeId, e.getMessage());
            refuse(Outcome.REJECTED, "coordinator could not stage the upload (" + e.getMessage() + ")");
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
        if (!h.getError().isEmpty()) {
            boolean recorded = book.fail(pending, new Failure(nodeId, Failure.Kind.ERROR, h.getError()));
            finish(
                    recorded ? Outcome.ERROR_RECORDED : Outcome.DUPLICATE,
                    recorded ? "error recorded: " + h.getError() : "instruction already has an outcome");
            return;
        }
        long limit = ctx.limits().replyLimit(pending);
        if (h.getParamsBytes() > limit) {
            refuse(
                    Outcome.REJECTED,
                    "reply payload of " + h.getParamsBytes() + " bytes exceeds the limit of " + limit + " bytes");
            return;
        }
        ticket = ctx.uploads().admit(this::proceed);
    }

    /** Admission granted by the gate. */
    private synchronized void proceed() {
        if (finished) {
            return;
        }
        admittedNanos = System.nanoTime();
        try {
            staged = new StagedPayload(ctx.limits().stagingDir(), header.getParamsBytes());
        } catch (IOException e) {
            refuse(Outcome.REJECTED, "coordinator could not stage the upload (" + e.getMessage() + ")");
            return;
        }
        out.onNext(
                PushEvent.newBuilder().setProceed(Proceed.getDefaultInstance()).build());
        out.request(2);
    }

    private void onEnd(ReplyFrame frame) throws PayloadException, IOException {
        if (staged == null) {
            refuse(Outcome.REJECTED, "end frame before the header was admitted (protocol error)");
            return;
        }
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
                    header.getParamsBytes(),
                    why);
        }
    }

    private void release() {
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
     * answers none (late, foreign or duplicate). Never the header's claim: a node can name any round.
     */
    private int round() {
        return pending == null ? 0 : pending.roundNumber();
    }
}
