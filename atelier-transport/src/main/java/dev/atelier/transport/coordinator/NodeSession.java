package dev.atelier.transport.coordinator;

import dev.atelier.core.message.NodeInfo;
import java.util.Map;

/**
 * A node as the coordinator knows it: registration, liveness and its instruction mailbox (at
 * most one queued instruction and one parked long-poll). Thread-safe.
 */
final class NodeSession {
    private final String nodeId;
    private volatile Map<String, String> properties = Map.of();
    private volatile String address = "?";
    private volatile boolean registered;
    private volatile long lastSeenNanos = System.nanoTime();
    private volatile boolean lost;
    private PendingInstruction queued;
    private PullCall waiter;

    NodeSession(String nodeId) {
        this.nodeId = nodeId;
    }

    String nodeId() {
        return nodeId;
    }

    NodeInfo info() {
        return new NodeInfo(nodeId, properties);
    }

    String address() {
        return address;
    }

    void register(Map<String, String> props, String addr) {
        properties = Map.copyOf(props);
        address = addr;
        registered = true;
        lost = false;
        touch();
    }

    boolean registered() {
        return registered;
    }

    void touch() {
        lastSeenNanos = System.nanoTime();
    }

    /** Seconds since the node was last heard from. */
    double silentSeconds() {
        return (System.nanoTime() - lastSeenNanos) / 1e9;
    }

    /** Marks the node lost once; returns true the first time. */
    boolean markLost() {
        if (lost) {
            return false;
        }
        lost = true;
        return true;
    }

    boolean lost() {
        return lost;
    }

    /** Queues {@code p}; returns the parked poll that should carry it now, if any. */
    synchronized PullCall offer(PendingInstruction p) {
        queued = p;
        PullCall w = waiter;
        if (w != null) {
            waiter = null;
            queued = null;
        }
        return w;
    }

    /** The queued instruction (removed), or null after parking {@code call} to wait for one. */
    synchronized PendingInstruction takeOrPark(PullCall call) {
        PendingInstruction p = queued;
        queued = null;
        if (p == null) {
            if (waiter != null && waiter != call) {
                waiter.supersede();
            }
            waiter = call;
        }
        return p;
    }

    /** Unparks {@code call} if it is still parked; returns true if it was. */
    synchronized boolean unpark(PullCall call) {
        if (waiter == call) {
            waiter = null;
            return true;
        }
        return false;
    }

    /** The parked poll (unparked), or null. */
    synchronized PullCall takeWaiter() {
        PullCall w = waiter;
        waiter = null;
        return w;
    }

    /** Drops a queued instruction that belongs to a finished round. */
    synchronized void clearQueued(PendingInstruction p) {
        if (queued == p) {
            queued = null;
        }
    }
}
