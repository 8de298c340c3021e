package dev.atelier.zo.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The inputs of decoder block {@link #block} for the token rows a {@link CausalLm} ran while this
 * memo was open ({@link CausalLm#memoizePrefix}): the frozen prefix's output, computed once per
 * row and reused by every later forward of the same ids. Rows are matched by their token ids, so
 * a caller that builds a fresh array per forward (a prompt cut from a task row) still hits.
 * Closing it detaches it from the model and drops the rows. Not thread-safe (like the model's
 * streamed forwards).
 */
public final class PrefixMemo implements AutoCloseable {
    private record Ids(int[] ids, int hash) {
        static Ids of(int[] ids) {
            return new Ids(ids, Arrays.hashCode(ids));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ids other && hash == other.hash && Arrays.equals(ids, other.ids);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final int block;
    private final Runnable detach;
    private final Map<Ids, float[]> inputs = new HashMap<>();
    private long reused;
    private boolean closed;

    PrefixMemo(int block, Runnable detach) {
        this.block = block;
        this.detach = detach;
    }

    /** The block whose input is kept (the prefix is blocks [0, block)). */
    public int block() {
        return block;
    }

    /** Forwards so far that started from a kept input instead of running the prefix. */
    public long reused() {
        return reused;
    }

    /** A copy of the kept input of {@link #block} for {@code ids} (the forward runs in place), or null. */
    float[] input(int[] ids) {
        float[] x = inputs.get(Ids.of(ids));
        if (x == null) {
            return null;
        }
        reused++;
        return x.clone();
    }

    void record(int[] ids, float[] x) {
        inputs.put(Ids.of(ids.clone()), x.clone());
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inputs.clear();
            detach.run();
        }
    }
}
