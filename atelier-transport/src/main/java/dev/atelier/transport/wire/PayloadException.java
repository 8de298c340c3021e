package dev.atelier.transport.wire;

/**
 * A payload that cannot be accepted (checksum mismatch, wrong size, chunk out of order...). The
 * message is a one-line reason that the receiver logs and sends back to the sender.
 */
public final class PayloadException extends Exception {
    public PayloadException(String reason) {
        super(reason);
    }
}
