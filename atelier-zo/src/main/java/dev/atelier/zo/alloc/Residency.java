package dev.atelier.zo.alloc;

import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a client holds in memory for a set of active blocks (docs/zo.md, "Client memory model"),
 * and so how its modelled memory depends on the set. The one rule both sides follow: the
 * allocator counts {@link #resident} blocks against a client's budget, and a ZorBA node
 * ({@code ZoClient}, told the rule in every instruction) holds exactly those blocks in memory.
 */
public enum Residency {
    /**
     * Blocks from the lowest active one up are resident; the frozen prefix below is streamed from
     * disk once per batch. Memory: fixed + Σ_{b ≥ lowest active} bytes_b.
     */
    SUFFIX,
    /**
     * Only the active blocks are resident; every frozen block (prefix or above) is streamed from
     * disk through one slot counted in the fixed part. Memory: fixed + Σ_{b active} bytes_b.
     */
    ACTIVE;

    /** The blocks a client with {@code active} (non-empty) blocks of {@code layers} holds in memory. */
    public SortedSet<Integer> resident(SortedSet<Integer> active, int layers) {
        if (active.isEmpty() || active.first() < 0 || active.last() >= layers) {
            throw new IllegalArgumentException(
                    "active blocks " + active + " must be a non-empty subset of [0, " + layers + ")");
        }
        if (this == ACTIVE) {
            return new TreeSet<>(active);
        }
        TreeSet<Integer> out = new TreeSet<>();
        for (int b = active.first(); b < layers; b++) {
            out.add(b);
        }
        return out;
    }

    /** The name instructions carry ({@code zo.hold}): lower case. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@link #key}; one line naming the accepted values otherwise. */
    public static Residency parse(String key) {
        for (Residency r : values()) {
            if (r.key().equals(key)) {
                return r;
            }
        }
        throw new IllegalArgumentException("zo.hold '" + key + "' is neither suffix nor active");
    }
}
