package dev.atelier.core.filter;

/**
 * A payload refused on purpose: by a {@link PayloadFilter} (validation, privacy), by an
 * aggregator that cannot combine it ({@code Aggregator.accept}), or by the run taking a reply
 * ({@code Transport.ReplySink.onReply}). The message is the one-line reason both sides log; the
 * gRPC transport sends it to the node. It is the only exception treated as a refusal — any other
 * exception while taking a reply is a coordinator-side error.
 */
public final class RejectedPayloadException extends Exception {
    public RejectedPayloadException(String reason) {
        super(reason);
    }
}
