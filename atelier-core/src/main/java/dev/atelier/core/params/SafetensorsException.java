package dev.atelier.core.params;

import java.io.IOException;

/** A safetensors file or payload that cannot be read; the message says which and why. */
public final class SafetensorsException extends IOException {
    public SafetensorsException(String message) {
        super(message);
    }
}
