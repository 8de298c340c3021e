package dev.atelier.transport.coordinator;

import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.transport.proto.PushResult;
import dev.atelier.transport.security.TlsRefusal;

/**
 * Observes the coordinator transport, for metrics, the state database and logs. Called from
 * gRPC threads: implementations must be thread-safe and quick.
 */
public interface TransportListener {
    default void onNodeRegistered(NodeInfo node, String address) {}

    default void onNodeLost(String nodeId, String reason) {}

    /** A node connection was refused at or after the TLS handshake (already logged by the transport). */
    default void onTlsRefused(TlsRefusal refusal) {}

    /**
     * An instruction finished streaming to a node.
     *
     * @param bytes   parameter payload bytes sent
     * @param seconds time from first to last frame
     */
    default void onInstructionSent(String nodeId, int round, long bytes, double seconds) {}

    /**
     * A reply payload was fully received and verified (before validation and aggregation).
     *
     * @param paramBytes parameter payload bytes received
     * @param seconds    streaming time, from admission (Proceed) to the verified end frame
     */
    default void onUploadReceived(String nodeId, int round, long paramBytes, double seconds) {}

    /**
     * A reply upload ended (any outcome).
     *
     * @param paramBytes parameter payload bytes received
     * @param seconds    time from header to outcome
     */
    default void onUpload(
            String nodeId, int round, PushResult.Outcome outcome, String reason, long paramBytes, double seconds) {}

    /** Bytes that crossed the wire, by payload kind (the wire audit). */
    default void onWire(String nodeId, int round, Direction direction, PayloadKind kind, long bytes) {}

    TransportListener NONE = new TransportListener() {};
}
