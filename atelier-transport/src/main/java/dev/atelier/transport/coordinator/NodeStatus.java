package dev.atelier.transport.coordinator;

import java.util.Map;

/**
 * A registered node as shown by {@code atelier status}.
 *
 * @param nodeId        certificate name
 * @param address       remote address of its last registration
 * @param alive         heard from within the liveness timeout
 * @param silentSeconds seconds since it was last heard from
 * @param properties    what it declared at registration
 */
public record NodeStatus(
        String nodeId, String address, boolean alive, double silentSeconds, Map<String, String> properties) {
    public NodeStatus {
        properties = Map.copyOf(properties);
    }
}
