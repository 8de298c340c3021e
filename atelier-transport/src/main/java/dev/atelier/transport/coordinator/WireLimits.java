package dev.atelier.transport.coordinator;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The transfer settings the call handlers apply and tell nodes.
 *
 * @param stagingDir        where uploads are staged before they are committed
 * @param heartbeatInterval how often nodes send heartbeats
 * @param chunkBytes        chunk size of both directions, bytes
 * @param maxPayloadBytes   largest reply payload accepted, bytes
 * @param uploadIdle        longest silence of an admitted upload between frames before it is
 *                          aborted and its slot released
 */
record WireLimits(
        Path stagingDir, Duration heartbeatInterval, int chunkBytes, long maxPayloadBytes, Duration uploadIdle) {
    /**
     * Largest reply payload for {@code p}: the size sent plus 1 MiB of slack for headers, or the
     * global limit when nothing was sent (a metrics-only task's reply carries no tensors anyway).
     */
    long replyLimit(PendingInstruction p) {
        long spec = p.instruction.params().isEmpty() ? maxPayloadBytes : p.payload.size() + (1 << 20);
        return Math.min(spec, maxPayloadBytes);
    }
}
