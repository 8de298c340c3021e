package dev.atelier.transport.coordinator;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The round whose instructions are out (at most one at a time) and the ids of recently closed
 * instructions, so a late upload is told which round it missed. Routes instructions to node
 * mailboxes and re-queues interrupted ones. Thread-safe.
 */
final class OpenRounds {
    private static final Logger LOG = LoggerFactory.getLogger("atelier.coordinator");
    private static final int REMEMBERED_IDS = 100_000;
    private final NodeDirectory directory;
    private final Map<String, Integer> closedIds = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> e) {
            return size() > REMEMBERED_IDS;
        }
    };
    private volatile RoundBook current;

    OpenRounds(NodeDirectory directory) {
        this.directory = directory;
    }

    /** The open round, or null between rounds. */
    RoundBook current() {
        return current;
    }

    void open(RoundBook book) {
        current = book;
    }

    /** Remembers the book's instruction ids as closed, empties mailboxes, and closes it if open. */
    void close(RoundBook book) {
        synchronized (closedIds) {
            for (PendingInstruction p : book.all()) {
                closedIds.put(p.id, book.round());
                directory.session(p.nodeId()).clearQueued(p);
            }
        }
        if (current == book) {
            current = null;
        }
    }

    /** Puts {@code p} in its node's mailbox, or hands it to the node's parked poll. */
    void offer(PendingInstruction p) {
        PullCall waiting = directory.session(p.nodeId()).offer(p);
        if (waiting != null) {
            waiting.deliver(p);
        }
    }

    /** Sends {@code p} again unless it already has an outcome. */
    void requeue(PendingInstruction p) {
        if (p.round.requeue(p)) {
            offer(p);
        }
    }

    /** A node registered again (restarted): re-send an instruction it may have lost. */
    void requeueSent(String nodeId) {
        RoundBook book = current;
        if (book == null) {
            return;
        }
        for (PendingInstruction p : book.undecided(x -> x.nodeId().equals(nodeId) && x.upload == null)) {
            if (book.state(p) == PendingInstruction.State.SENT) {
                LOG.info(
                        "round {}: {} re-registered while its instruction was out; sending it again",
                        book.round(),
                        nodeId);
                requeue(p);
            }
        }
    }

    /** Why an upload for {@code instructionId} has no open instruction to answer. */
    String lateReason(String instructionId, int round) {
        Integer closed;
        synchronized (closedIds) {
            closed = closedIds.get(instructionId);
        }
        RoundBook book = current;
        if (closed != null) {
            return "round " + closed + " is over; reply ignored";
        }
        return "instruction " + instructionId + " is not open (round " + round + " is not running"
                + (book == null ? "" : "; round " + book.round() + " is")
                + ", or it was sent before a coordinator restart)";
    }
}
