package dev.atelier.core.transport;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes that crossed the transport, per node, round, direction and payload kind: the evidence that
 * only parameters and metrics left a node. Thread-safe.
 */
public class WireLedger {
    /** A ledger that records nothing. */
    public static final WireLedger NONE = new WireLedger() {
        @Override
        public void record(String nodeId, int round, Direction direction, PayloadKind kind, long bytes) {}
    };

    public enum Direction {
        TO_NODE,
        FROM_NODE
    }

    /** What the bytes were: tensors (safetensors), scalar metrics, compact payloads, or control. */
    public enum PayloadKind {
        PARAMETERS,
        METRICS,
        COMPACT,
        CONTROL
    }

    public record Key(String nodeId, int round, Direction direction, PayloadKind kind) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return java.util.Comparator.comparing(Key::nodeId)
                    .thenComparingInt(Key::round)
                    .thenComparing(Key::direction)
                    .thenComparing(Key::kind)
                    .compare(this, o);
        }
    }

    private final ConcurrentHashMap<Key, LongAdder> bytes = new ConcurrentHashMap<>();

    public void record(String nodeId, int round, Direction direction, PayloadKind kind, long n) {
        bytes.computeIfAbsent(new Key(nodeId, round, direction, kind), k -> new LongAdder())
                .add(n);
    }

    /** A sorted snapshot. */
    public Map<Key, Long> snapshot() {
        TreeMap<Key, Long> out = new TreeMap<>();
        bytes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Total bytes of one kind in one direction. */
    public long total(Direction direction, PayloadKind kind) {
        return snapshot().entrySet().stream()
                .filter(e -> e.getKey().direction() == direction && e.getKey().kind() == kind)
                .mapToLong(Map.Entry::getValue)
                .sum();
    }
}
