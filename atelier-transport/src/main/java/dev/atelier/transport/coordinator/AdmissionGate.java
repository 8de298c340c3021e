package dev.atelier.transport.coordinator;

import java.util.ArrayDeque;

/**
 * Admission control for payload streams: at most {@code permits} stream data at once, the rest
 * wait their turn. Uploads wait after their header (the node has not sent a byte of payload);
 * downloads wait before their first chunk. With both directions gated, coordinator memory
 * in flight is bounded by permits × (chunk + flow-control window) whatever the number of nodes.
 * Thread-safe; grants run outside the lock.
 */
final class AdmissionGate {
    /** A place in line; {@link #release} it exactly once, granted or not. */
    final class Ticket {
        private final Runnable grant;
        private boolean granted;
        private boolean released;

        private Ticket(Runnable grant) {
            this.grant = grant;
        }
    }

    private final String name;
    private final ArrayDeque<Ticket> waiting = new ArrayDeque<>();
    private int permits;

    AdmissionGate(String name, int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("max concurrent " + name + " must be >= 1, got " + permits);
        }
        this.name = name;
        this.permits = permits;
    }

    /** Queues {@code grant}; runs it (possibly right now, on this thread) once a permit is free. */
    Ticket admit(Runnable grant) {
        Ticket t = new Ticket(grant);
        synchronized (this) {
            if (permits == 0) {
                waiting.add(t);
                return t;
            }
            permits--;
            t.granted = true;
        }
        t.grant.run();
        return t;
    }

    /** Gives the permit back (or leaves the line); idempotent. */
    void release(Ticket t) {
        Ticket next;
        synchronized (this) {
            if (t == null || t.released) {
                return;
            }
            t.released = true;
            if (!t.granted) {
                waiting.remove(t);
                return;
            }
            next = waiting.poll();
            if (next == null) {
                permits++;
                return;
            }
            next.granted = true;
        }
        next.grant.run();
    }

    @Override
    public String toString() {
        return name + " gate";
    }
}
