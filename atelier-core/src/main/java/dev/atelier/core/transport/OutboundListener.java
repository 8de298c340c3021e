package dev.atelier.core.transport;

/**
 * Told of every message a node sends, on the node's side of the transport (the gRPC node
 * runtime, or {@link InProcessTransport} for its virtual nodes). Called on transport threads;
 * keep it quick and do not throw.
 */
@FunctionalInterface
public interface OutboundListener {
    void onSent(SentMessage message);

    OutboundListener NONE = message -> {};
}
