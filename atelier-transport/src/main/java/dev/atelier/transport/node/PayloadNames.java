package dev.atelier.transport.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.atelier.core.transport.SentMessage.TensorBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the tensor names and sizes out of a safetensors payload as its chunks are sent, from the
 * bytes themselves (the 8-byte header length and the JSON header), so the node's ledger names what
 * really left, not what the workload meant to send. Only the header is buffered, at most
 * {@link #MAX_HEADER_BYTES}; a longer or malformed header yields one entry naming the problem.
 * Not thread-safe (one upload call).
 */
final class PayloadNames {
    static final int MAX_HEADER_BYTES = 16 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private long expected = -1; // 8 + header length, once known
    private List<TensorBytes> tensors;

    /** Feeds the next chunk of the payload, in order. */
    void feed(ByteString chunk) {
        if (tensors != null) {
            return;
        }
        long want = expected < 0 ? 8 : expected;
        int take = (int) Math.min(chunk.size(), Math.max(0, want - head.size()));
        head.writeBytes(chunk.substring(0, take).toByteArray());
        if (expected < 0 && head.size() >= 8) {
            long n = ByteBuffer.wrap(head.toByteArray(), 0, 8)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .getLong();
            if (n < 2 || n > MAX_HEADER_BYTES) {
                tensors = List.of(new TensorBytes("<unreadable safetensors header: length " + n + ">", 0));
                return;
            }
            expected = 8 + n;
            feed(chunk.substring(take));
            return;
        }
        if (expected > 0 && head.size() >= expected) {
            tensors = parse(head.toByteArray());
        }
    }

    /** The tensors, in data order; empty when the payload ended before its header did. */
    List<TensorBytes> tensors() {
        return tensors == null ? List.of() : tensors;
    }

    private static List<TensorBytes> parse(byte[] bytes) {
        try {
            JsonNode root = JSON.readTree(bytes, 8, bytes.length - 8);
            record At(long start, TensorBytes t) {}
            List<At> out = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonNode off = e.getValue().path("data_offsets");
                long a = off.path(0).asLong(-1);
                long b = off.path(1).asLong(-1);
                if (a < 0 || b < a) {
                    throw new IOException("bad data_offsets for " + e.getKey());
                }
                out.add(new At(a, new TensorBytes(e.getKey(), b - a)));
            }
            out.sort(Comparator.comparingLong(At::start));
            return out.stream().map(At::t).toList();
        } catch (IOException | RuntimeException e) {
            return List.of(new TensorBytes("<unreadable safetensors header: " + e.getMessage() + ">", 0));
        }
    }
}
