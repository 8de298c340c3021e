package dev.atelier.transport.wire;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** How payload bytes are counted for the wire audit, identically to the in-process transport. */
public final class WireSizes {
    private WireSizes() {}

    /** Metrics: UTF-8 name plus an 8-byte double each. */
    public static long metricBytes(Map<String, Double> metrics) {
        return metrics.keySet().stream()
                .mapToLong(k -> k.getBytes(StandardCharsets.UTF_8).length + 8L)
                .sum();
    }
}
