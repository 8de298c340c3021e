package dev.atelier.core.message;

import dev.atelier.core.util.UntrustedText;
import java.util.Map;

/**
 * A node the coordinator can address.
 *
 * @param nodeId     stable identity (the certificate name in deployment)
 * @param properties self-declared facts such as memory budget or dataset size; node-sent, so kept
 *                   sanitised and bounded ({@link UntrustedText#properties}) for every sink
 *                   (database, /status, logs)
 */
public record NodeInfo(String nodeId, Map<String, String> properties) {
    public NodeInfo {
        properties = Map.copyOf(UntrustedText.properties(properties));
    }

    public static NodeInfo of(String nodeId) {
        return new NodeInfo(nodeId, Map.of());
    }
}
