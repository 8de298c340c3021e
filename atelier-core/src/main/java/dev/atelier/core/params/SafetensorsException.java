package dev.atelier.core.params;

import dev.atelier.core.util.UntrustedText;
import java.io.IOException;

/**
 * A safetensors file or payload that cannot be read; the message says which and why. The message
 * quotes names from the untrusted header, so it is made one bounded line here, once, for every
 * thrower ({@link UntrustedText#reason}): it reaches logs and nodes as it is.
 */
public final class SafetensorsException extends IOException {
    public SafetensorsException(String message) {
        super(UntrustedText.reason(message));
    }
}
