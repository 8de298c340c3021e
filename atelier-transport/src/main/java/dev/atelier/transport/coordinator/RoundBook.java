package dev.atelier.transport.coordinator;

import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Reply;
import dev.atelier.core.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instructions of one {@code sendAndReceive} call and their outcomes. Every instruction
 * gets exactly one outcome (reply or failure) reported to the sink; later attempts are refused,
 * which makes duplicate and late replies harmless. Thread-safe; the sink is called outside the
 * lock.
 */
final class RoundBook {
    private static final Logger LOG = LoggerFactory.getLogger("atelier.coordinator");
    private final int round;
    private final Transport.ReplySink sink;
    private final long deadlineUnixMs;
    private final Map<String, PendingInstruction> byId = new LinkedHashMap<>();
    private int open;
    private boolean closed;

    RoundBook(int round, Transport.ReplySink sink, long deadlineUnixMs) {
        this.round = round;
        this.sink = sink;
        this.deadlineUnixMs = deadlineUnixMs;
    }

    /** The round deadline, Unix epoch milliseconds (told to nodes). */
    long deadlineUnixMs() {
        return deadlineUnixMs;
    }

    int round() {
        return round;
    }

    synchronized void add(PendingInstruction p) {
        byId.put(p.id, p);
        open++;
    }

    synchronized PendingInstruction find(String id) {
        return byId.get(id);
    }

    synchronized Collection<PendingInstruction> all() {
        return List.copyOf(byId.values());
    }

    synchronized PendingInstruction.State state(PendingInstruction p) {
        return p.state;
    }

    /** QUEUED → SENDING; false when the instruction no longer needs sending. */
    synchronized boolean startSending(PendingInstruction p) {
        if (p.state != PendingInstruction.State.QUEUED || closed) {
            return false;
        }
        p.state = PendingInstruction.State.SENDING;
        return true;
    }

    synchronized void sent(PendingInstruction p) {
        if (p.state == PendingInstruction.State.SENDING) {
            p.state = PendingInstruction.State.SENT;
        }
    }

    /** Back to QUEUED after an interrupted send or a node re-registering; false if it has an outcome. */
    synchronized boolean requeue(PendingInstruction p) {
        if (closed || p.state == PendingInstruction.State.DONE || p.state == PendingInstruction.State.DELIVERING) {
            return false;
        }
        p.state = PendingInstruction.State.QUEUED;
        return true;
    }

    /**
     * Attaches an upload; returns null on success or why it is refused (duplicate).
     */
    synchronized String attach(PendingInstruction p, UploadSession upload) {
        if (p.state == PendingInstruction.State.DONE || p.state == PendingInstruction.State.DELIVERING) {
            return "instruction " + p.id + " already has an outcome";
        }
        if (p.upload != null && p.upload != upload) {
            return "another upload for instruction " + p.id + " is in progress";
        }
        p.upload = upload;
        return null;
    }

    synchronized void detach(PendingInstruction p, UploadSession upload) {
        if (p.upload == upload) {
            p.upload = null;
        }
    }

    /** Claims the right to deliver a verified reply; false when an outcome already exists. */
    synchronized boolean startDelivery(PendingInstruction p) {
        if (p.state == PendingInstruction.State.DONE || p.state == PendingInstruction.State.DELIVERING) {
            return false;
        }
        p.state = PendingInstruction.State.DELIVERING;
        return true;
    }

    /**
     * Hands a claimed reply to the sink and closes the instruction.
     *
     * @return null when the run accepted the reply, else why it refused it (the sink recorded
     *         the failure itself)
     */
    String deliver(PendingInstruction p, Reply reply) {
        try {
            sink.onReply(reply);
            return null;
        } catch (RejectedPayloadException e) {
            return e.getMessage();
        } catch (RuntimeException e) {
            // A sink that broke its contract: the instruction still gets exactly one outcome.
            String reason = "coordinator error while taking the reply: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage());
            LOG.error("round {}: {} ({})", round, reason, p.nodeId(), e);
            sink.onFailure(new Failure(p.nodeId(), Failure.Kind.ERROR, reason));
            return reason;
        } finally {
            done(p);
        }
    }

    /** Reports a failure for a claimed instruction (see {@link #startDelivery}). */
    void failClaimed(PendingInstruction p, Failure failure) {
        try {
            sink.onFailure(failure);
        } finally {
            done(p);
        }
    }

    /** Reports a failure unless the instruction already has (or is getting) an outcome. */
    boolean fail(PendingInstruction p, Failure failure) {
        if (!startDelivery(p)) {
            return false;
        }
        failClaimed(p, failure);
        return true;
    }

    private synchronized void done(PendingInstruction p) {
        p.state = PendingInstruction.State.DONE;
        p.upload = null;
        open--;
        notifyAll();
    }

    /** Waits until every instruction has an outcome or {@code deadlineNanos} (System.nanoTime) passes. */
    synchronized void awaitAll(long deadlineNanos) throws InterruptedException {
        while (open > 0) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Open instructions matching {@code filter} that are not being delivered. */
    synchronized List<PendingInstruction> undecided(Predicate<PendingInstruction> filter) {
        List<PendingInstruction> out = new ArrayList<>();
        for (PendingInstruction p : byId.values()) {
            if (p.state != PendingInstruction.State.DONE
                    && p.state != PendingInstruction.State.DELIVERING
                    && filter.test(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * At the deadline: every instruction still without an outcome becomes a TIMEOUT failure
     * (straggler); an upload still streaming is answered LATE and its staged data discarded.
     */
    void dropStragglers(Duration deadline) {
        for (PendingInstruction p : undecided(x -> true)) {
            UploadSession u;
            PendingInstruction.State state;
            synchronized (this) {
                u = p.upload;
                state = p.state;
            }
            String where = u != null
                    ? "upload still in progress"
                    : switch (state) {
                        case QUEUED -> "never pulled the instruction";
                        case SENDING -> "instruction still downloading";
                        default -> "still working";
                    };
            if (u != null) {
                u.abortLate("round " + round + " deadline of " + deadline.toSeconds()
                        + " s passed before the upload finished");
            }
            if (fail(
                    p,
                    new Failure(
                            p.nodeId(),
                            Failure.Kind.TIMEOUT,
                            "straggler: no reply within the round deadline of " + deadline.toSeconds() + " s (" + where
                                    + ")"))) {
                LOG.warn("round {}: dropping straggler {} ({})", round, p.nodeId(), where);
            }
        }
    }

    /** Waits for deliveries in progress, then refuses all later attempts. */
    synchronized void close() throws InterruptedException {
        while (byId.values().stream().anyMatch(p -> p.state == PendingInstruction.State.DELIVERING)) {
            wait(100);
        }
        closed = true;
    }
}
