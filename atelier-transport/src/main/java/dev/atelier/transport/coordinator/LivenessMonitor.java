package dev.atelier.transport.coordinator;

import dev.atelier.core.message.Failure;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic check (every 250 ms) for nodes that went silent: logs and reports each lost node once,
 * and drops its open instruction from the current round as DISCONNECTED, so a crashed node does
 * not hold the round until its deadline. An instruction whose upload is streaming is left alone
 * (its frames keep the node alive). Runs on the transport's timer thread.
 */
final class LivenessMonitor {
    private static final Logger LOG = LoggerFactory.getLogger("atelier.coordinator");
    private final NodeDirectory directory;
    private final Supplier<RoundBook> current;
    private final TransportListener listener;

    LivenessMonitor(NodeDirectory directory, Supplier<RoundBook> current, TransportListener listener) {
        this.directory = directory;
        this.current = current;
        this.listener = listener;
    }

    void check() {
        try {
            for (NodeSession s : directory.all()) {
                if (s.registered() && !directory.alive(s) && s.markLost()) {
                    String why = String.format("no heartbeat for %.1f s", s.silentSeconds());
                    LOG.warn("node {} lost: {}", s.nodeId(), why);
                    listener.onNodeLost(s.nodeId(), why);
                }
            }
            RoundBook book = current.get();
            if (book == null) {
                return;
            }
            for (PendingInstruction p :
                    book.undecided(x -> x.upload == null && !directory.alive(directory.session(x.nodeId())))) {
                NodeSession s = directory.session(p.nodeId());
                String why = String.format(
                        "node %s silent for %.1f s (no heartbeat) — dropped from round %d",
                        p.nodeId(), s.silentSeconds(), book.round());
                if (book.fail(p, new Failure(p.nodeId(), Failure.Kind.DISCONNECTED, why))) {
                    LOG.warn("round {}: {}", book.round(), why);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("liveness check failed: {}", e.toString());
        }
    }
}
