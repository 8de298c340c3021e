package dev.atelier.core.message;

import dev.atelier.core.util.UntrustedText;

/**
 * A node that did not contribute to a round, and why.
 *
 * @param nodeId the node
 * @param kind   the class of failure
 * @param reason a one-line human-readable reason, logged on both sides. Often node-sent text, so
 *               it is always stored sanitised ({@link UntrustedText#reason}: control characters
 *               escaped, length capped): every sink (log, metrics.jsonl, database, /status) can
 *               write it as is.
 */
public record Failure(String nodeId, Kind kind, String reason) {
    public Failure {
        java.util.Objects.requireNonNull(nodeId, "nodeId");
        java.util.Objects.requireNonNull(kind, "kind");
        // Exceptions without a message must still leave a reason: metrics.jsonl cannot hold null.
        reason = reason == null || reason.isBlank() ? "(no reason given)" : UntrustedText.reason(reason);
    }

    public enum Kind {
        /** The node raised an error while handling the instruction. */
        ERROR,
        /** No reply before the round deadline. */
        TIMEOUT,
        /** The reply arrived but a validation filter refused it (NaN, shape, dtype, size, checksum). */
        REJECTED,
        /** The node disconnected. */
        DISCONNECTED
    }
}
