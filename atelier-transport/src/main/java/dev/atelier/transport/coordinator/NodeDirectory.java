package dev.atelier.transport.coordinator;

import dev.atelier.core.message.NodeInfo;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registered nodes and their liveness. A node is available when it registered and was heard
 * from (any call or heartbeat) within the liveness timeout. Thread-safe.
 */
final class NodeDirectory {
    private final ConcurrentHashMap<String, NodeSession> sessions = new ConcurrentHashMap<>();
    private final Duration livenessTimeout;
    private final Set<String> toldComplete = ConcurrentHashMap.newKeySet();
    private volatile boolean runComplete;

    NodeDirectory(Duration livenessTimeout) {
        this.livenessTimeout = livenessTimeout;
    }

    NodeSession session(String nodeId) {
        return sessions.computeIfAbsent(nodeId, NodeSession::new);
    }

    /** The session if the node registered, else null. */
    NodeSession registered(String nodeId) {
        NodeSession s = sessions.get(nodeId);
        return s != null && s.registered() ? s : null;
    }

    /** Marks a registered node as heard from now; unknown nodes are ignored. */
    void touch(String nodeId) {
        NodeSession s = registered(nodeId);
        if (s != null) {
            s.touch();
        }
    }

    boolean alive(NodeSession s) {
        return s.registered() && s.silentSeconds() * 1e9 < livenessTimeout.toNanos();
    }

    List<NodeSession> all() {
        return sessions.values().stream()
                .sorted(Comparator.comparing(NodeSession::nodeId))
                .toList();
    }

    List<NodeInfo> available() {
        return all().stream().filter(this::alive).map(NodeSession::info).toList();
    }

    /**
     * The run has finished: every parked poll is answered "run complete" now, later polls and
     * heartbeats are answered so too ({@link #runComplete()}).
     */
    void completeRun() {
        runComplete = true;
        for (NodeSession s : all()) {
            PullCall w = s.takeWaiter();
            if (w != null) {
                w.runComplete();
            }
        }
    }

    boolean runComplete() {
        return runComplete;
    }

    /** Records that {@code nodeId} was told the run is complete (a poll or heartbeat answer). */
    void toldComplete(String nodeId) {
        toldComplete.add(nodeId);
    }

    /** Available nodes not yet told that the run is complete. */
    List<String> notYetTold() {
        return all().stream()
                .filter(s -> alive(s) && !toldComplete.contains(s.nodeId()))
                .map(NodeSession::nodeId)
                .toList();
    }

    synchronized void signal() {
        notifyAll();
    }

    /** Waits until at least {@code min} nodes are available or {@code timeout} passes. */
    synchronized List<NodeInfo> await(int min, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<NodeInfo> now = available();
            long left = end - System.nanoTime();
            if (now.size() >= min || left <= 0) {
                return now;
            }
            wait(Math.max(1, Math.min(left / 1_000_000, 250)));
        }
    }
}
