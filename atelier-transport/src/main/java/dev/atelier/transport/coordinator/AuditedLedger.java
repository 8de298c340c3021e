package dev.atelier.transport.coordinator;

import dev.atelier.core.transport.WireLedger;

/** A {@link WireLedger} that also forwards every record to the transport listener. Thread-safe. */
final class AuditedLedger extends WireLedger {
    private final TransportListener listener;

    AuditedLedger(TransportListener listener) {
        this.listener = listener;
    }

    @Override
    public void record(String nodeId, int round, Direction direction, PayloadKind kind, long n) {
        if (n == 0) {
            return;
        }
        super.record(nodeId, round, direction, kind, n);
        listener.onWire(nodeId, round, direction, kind, n);
    }
}
