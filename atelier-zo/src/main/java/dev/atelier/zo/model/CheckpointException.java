package dev.atelier.zo.model;

/**
 * A checkpoint Atelier cannot load or must not run: an unsupported {@code model_type} or config
 * flag, a missing or mis-shaped tensor, a corrupt file. The message is one line meant for users
 * and names the offending file, field or tensor.
 */
public final class CheckpointException extends IllegalArgumentException {
    public CheckpointException(String message) {
        super(message);
    }
}
