package dev.atelier.transport.app;

import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.RunListener;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.transport.coordinator.TransportListener;
import dev.atelier.transport.proto.PushResult;
import dev.atelier.transport.security.TlsRefusal;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes run and transport events to the metrics and the state database, and logs round
 * progress. A database error is logged, never allowed to stop the federation. Thread-safe.
 */
final class CoordinatorEvents implements RunListener, TransportListener {
    private static final Logger LOG = LoggerFactory.getLogger("atelier.coordinator");
    private final String runId;
    private final CoordinatorMetrics metrics;
    private final StateStore store;

    CoordinatorEvents(String runId, CoordinatorMetrics metrics, StateStore store) {
        this.runId = runId;
        this.metrics = metrics;
        this.store = store;
    }

    @Override
    public void onRoundStart(int round, int totalRounds) {
        metrics.roundStarted(round);
        LOG.info("round {}/{} starting", round, totalRounds);
    }

    @Override
    public void onRoundWaiting(int round, int attempt, int available, int required) {
        metrics.roundWaited();
        LOG.warn(
                "round {}: only {} of the required {} nodes available at the deadline (attempt {}); not counted,"
                        + " trying the round again",
                round,
                available,
                required,
                attempt);
    }

    @Override
    public void onPersistFailed(int round, String file, int attempt, int attempts, java.io.IOException cause) {
        // a local disk fault: the coordinator's, never a node's; the path and cause are ours, not a node's
        LOG.warn(
                "round {}: cannot write {} ({}), attempt {} of {}{}",
                round,
                file,
                cause.toString(),
                attempt,
                attempts,
                attempt < attempts ? "; retrying" : "; the run stops");
    }

    @Override
    public void onRoundEnd(RoundRecord r, int totalRounds, double etaSeconds) {
        metrics.roundEnded(r);
        db(() -> store.recordRound(runId, r));
        LOG.info(
                "round {}/{} done in {} s: {} of {} replied{}, fit {}, eval {}, ETA {} s",
                r.round(),
                totalRounds,
                String.format("%.2f", r.seconds()),
                r.replies(),
                r.sampled(),
                r.aggregated() ? "" : " (NOT aggregated, model kept)",
                r.fit(),
                r.eval(),
                Math.round(etaSeconds));
        r.failures()
                .forEach(f -> LOG.warn(
                        "round {}: {} did not contribute ({}): {}", r.round(), f.nodeId(), f.kind(), f.reason()));
    }

    @Override
    public void onNodeRegistered(NodeInfo node, String address) {
        db(() -> store.upsertNode(node.nodeId(), address, node.properties(), "registered"));
    }

    @Override
    public void onNodeLost(String nodeId, String reason) {
        db(() -> store.setNodeStatus(nodeId, "lost"));
    }

    @Override
    public void onTlsRefused(TlsRefusal refusal) {
        metrics.tlsRefused(refusal.reason());
    }

    @Override
    public void onUpload(
            String nodeId, int round, PushResult.Outcome outcome, String reason, long paramBytes, double seconds) {
        metrics.upload(outcome, seconds);
    }

    @Override
    public void onWire(String nodeId, int round, Direction direction, PayloadKind kind, long bytes) {
        metrics.wire(direction, kind, bytes);
        db(() -> store.addWire(runId, round, nodeId, direction.name(), kind.name(), bytes));
    }

    private interface DbWrite {
        void run() throws SQLException;
    }

    private static void db(DbWrite w) {
        try {
            w.run();
        } catch (SQLException e) {
            LOG.error("state database write failed (the federation continues): {}", e.getMessage());
        }
    }
}
