package dev.atelier.core.message;

import java.util.Map;

/**
 * A node the coordinator can address.
 *
 * @param nodeId     stable identity (the certificate name in deployment)
 * @param properties self-declared facts such as memory budget or dataset size
 */
public record NodeInfo(String nodeId, Map<String, String> properties) {
    public NodeInfo {
        properties = Map.copyOf(properties);
    }

    public static NodeInfo of(String nodeId) {
        return new NodeInfo(nodeId, Map.of());
    }
}
