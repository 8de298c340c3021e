package dev.atelier.transport.node;

import dev.atelier.core.transport.SentMessage;
import dev.atelier.transport.proto.PushResult;

/** Observes a node runtime (CLI progress, tests). Called on the runtime's threads; keep it quick. */
public interface NodeListener {
    default void onRegistered(String nodeId, String runId) {}

    default void onInstruction(int round, String task, long paramBytes) {}

    /** The coordinator's answer to a reply, with its reason (e.g. why it was rejected). */
    default void onOutcome(int round, PushResult.Outcome outcome, String reason) {}

    /**
     * A message (or a round's heartbeats and pulls) this node sent, as its {@link OutboundLedger}
     * counted and wrote it: serialised bytes by kind and the tensor names of the payload.
     */
    default void onSent(SentMessage message) {}

    NodeListener NONE = new NodeListener() {};
}
