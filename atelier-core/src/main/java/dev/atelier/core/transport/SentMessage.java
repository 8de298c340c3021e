package dev.atelier.core.transport;

import dev.atelier.core.transport.WireLedger.PayloadKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One message (or one RPC's worth of messages) a node sent, as the node itself counted it: the
 * evidence, kept on the designer's machine, of what left it. Bytes are the serialised message
 * bytes handed to the transport ({@code PARAMETERS} = the safetensors payload, {@code METRICS} =
 * name plus 8 bytes each, as {@link WireLedger} counts them; {@code CONTROL} = everything else in
 * the messages: ids, framing fields, heartbeats). Tensors are the names and data sizes read from
 * the payload that was sent, in payload order; empty when no parameters were sent. Metric values
 * are kept too: they are part of what left (e.g. the privacy budget spent).
 *
 * @param nodeId   the sending node
 * @param round    the round the message belongs to; 0 for registration and before the first round
 * @param call     what was sent ({@link #REGISTER}, {@link #PUSH_REPLY}, {@link #CONTROL_CALLS}...)
 * @param messages how many messages this entry covers (an upload is header, chunks and end)
 * @param bytes    bytes per kind; kinds not sent are absent
 * @param tensors  the tensors in the payload
 * @param metrics  the scalar metrics sent (name to value, as sent), empty when none
 */
public record SentMessage(
        String nodeId,
        int round,
        String call,
        int messages,
        Map<PayloadKind, Long> bytes,
        List<TensorBytes> tensors,
        Map<String, Double> metrics) {
    public static final String REGISTER = "Register";
    public static final String PUSH_REPLY = "PushReply";
    /** Heartbeats and instruction pulls, summed per round. */
    public static final String CONTROL_CALLS = "Heartbeat+Pull";
    /** The in-process transport's reply (no protocol framing). */
    public static final String IN_PROCESS_REPLY = "Reply";

    /** One tensor of a sent payload: its name and its data bytes. */
    public record TensorBytes(String name, long bytes) {
        public TensorBytes {
            Objects.requireNonNull(name);
            if (bytes < 0) {
                throw new IllegalArgumentException("negative tensor size " + bytes);
            }
        }
    }

    public SentMessage {
        Objects.requireNonNull(nodeId);
        Objects.requireNonNull(call);
        if (round < 0 || messages < 0) {
            throw new IllegalArgumentException("round and message count must be >= 0");
        }
        EnumMap<PayloadKind, Long> copy = new EnumMap<>(PayloadKind.class);
        bytes.forEach((k, v) -> {
            if (v < 0) {
                throw new IllegalArgumentException("negative byte count for " + k);
            }
            if (v > 0) {
                copy.put(k, v);
            }
        });
        bytes = java.util.Collections.unmodifiableMap(copy);
        tensors = List.copyOf(tensors);
        metrics = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(metrics));
    }

    /** Bytes of one kind (0 when none). */
    public long bytes(PayloadKind kind) {
        return bytes.getOrDefault(kind, 0L);
    }

    /** All bytes of this entry. */
    public long total() {
        return bytes.values().stream().mapToLong(Long::longValue).sum();
    }
}
