package dev.atelier.core.filter;

/** A payload a filter refused; the message is the one-line reason both sides log. */
public final class RejectedPayloadException extends Exception {
    public RejectedPayloadException(String reason) {
        super(reason);
    }
}
