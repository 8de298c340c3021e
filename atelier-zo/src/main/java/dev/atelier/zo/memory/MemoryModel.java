package dev.atelier.zo.memory;

import dev.atelier.zo.alloc.BlockCosts;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.LmConfig;
import java.util.SortedSet;

/**
 * Predicted peak memory (bytes above the engine baseline, the quantity {@link ProbeResult#measuredPeak}
 * measures) of a ZO client as a function of its active block set, batch and sequence length
 * (docs/zo.md, "Client memory model"). All weights are F32. The terms:
 * <ul>
 *   <li>resident weights: embeddings, final norm, head, and the blocks from the lowest active one
 *       up ({@link ClientMode#STREAMED_PREFIX}), the active blocks only ({@link
 *       ClientMode#ACTIVE_ONLY}) or all blocks (other modes);
 *   <li>the streaming slot: one block's weights, when any block is read from disk;
 *   <li>the cached prefix output: rows · seq · hidden floats;
 *   <li>one row's forward live set (logits, keys/values, MLP hidden) beyond the young generation
 *       the protocol fixes ({@code youngBytes}, {@code -Xmn}): smaller temporaries die there, and
 *       the protocol's warm-up has made its pages resident before the baseline;
 *   <li>{@code runtimeBytes}: what the JVM adds during load and steps beyond the live data: the
 *       JIT compiler's arenas for methods compiled after the baseline (NMT measured arena peaks
 *       of 9–12 MB), the old generation's free slack that promoted temporaries fill before a full
 *       collection, copy buffers, streamed-block reads. One constant, chosen from measured minus
 *       the other terms over the validated rows (docs/zo.md); its spread there is 4–38 MiB.
 * </ul>
 * Below {@link #FLOOR_BYTES} the model does not apply: that spread is more than 15% of such
 * peaks, and {@link #bound} gives the planner a measured constant instead. Immutable.
 */
public record MemoryModel(long youngBytes, long runtimeBytes) {
    /** The constants of the protocol's child JVM ({@link ChildJvm#GC_FLAGS}: -Xmn32m). */
    public static final MemoryModel PROTOCOL = new MemoryModel(32L << 20, 10L << 20);

    /** Predicted peaks below this are not predictions: the model is validated from here up. */
    public static final long FLOOR_BYTES = 32L << 20;

    /**
     * What the planner counts for a client of a below-floor model besides its blocks: 20 MiB,
     * above every below-floor peak the protocol measured (the largest 17.7 MiB, session 8, the base
     * LM holding both blocks: the warmed baseline alone varies by ±4.6 MiB between runs there, so
     * 12 MiB + blocks was exceeded by 2 of 12 rows; docs/zo.md).
     */
    public static final long SMALL_MODEL_FIXED = 20L << 20;

    /** Each term in bytes; {@link #peak} is their sum (the step phase, which bounds loading too). */
    public record Prediction(long residentWeights, long streamSlot, long prefixCache, long activations, long runtime) {
        public long peak() {
            return residentWeights + streamSlot + prefixCache + activations + runtime;
        }

        /** False below {@link #FLOOR_BYTES}, where {@link #peak} is not a validated prediction. */
        public boolean applies() {
            return peak() >= FLOOR_BYTES;
        }
    }

    public Prediction predict(LmConfig c, SortedSet<Integer> active, int rows, int seqLen, ClientMode mode) {
        int k = active.first();
        int layers = c.dims().numLayers();
        long held = switch (mode) {
            case FULL, CACHED_PREFIX -> layers;
            case STREAMED_PREFIX -> layers - k;
            case ACTIVE_ONLY -> active.size();
        };
        long resident = 4 * (fixedParams(c) + held * blockParams(c));
        long slot = held < layers ? 4 * blockParams(c) : 0;
        long cache =
                mode != ClientMode.FULL && k > 0 ? 4L * rows * seqLen * c.dims().hiddenSize() : 0;
        long live = Math.max(0, rowLiveBytes(c, seqLen, mode == ClientMode.FULL ? 0 : k) - youngBytes);
        return new Prediction(resident, slot, cache, live, runtimeBytes);
    }

    /**
     * What the allocator needs for a client running {@code rows} × {@code seqLen} batches in
     * {@link ClientMode#STREAMED_PREFIX}: the block-independent part of the peak (the streaming
     * slot always counted, so the bound is safe for clients holding block 0 too) ...
     */
    public long fixedBytes(LmConfig c, int rows, int seqLen) {
        long modelled = 4 * fixedParams(c)
                + 4 * blockParams(c)
                + 4L * rows * seqLen * c.dims().hiddenSize()
                + Math.max(0, rowLiveBytes(c, seqLen, 0) - youngBytes)
                + runtimeBytes;
        // below the floor, a measured constant instead of the model (see SMALL_MODEL_FIXED)
        return belowFloor(c, rows, seqLen) ? SMALL_MODEL_FIXED : modelled;
    }

    /** True when even the whole model's client is predicted below {@link #FLOOR_BYTES}. */
    public boolean belowFloor(LmConfig c, int rows, int seqLen) {
        SortedSet<Integer> all = new java.util.TreeSet<>();
        for (int b = 0; b < c.dims().numLayers(); b++) {
            all.add(b);
        }
        return !predict(c, all, rows, seqLen, ClientMode.FULL).applies();
    }

    /**
     * What the planner counts for {@code active} ({@link #fixedBytes} plus the resident blocks'
     * {@link #blockCosts} under {@code residency}): the prediction's peak when the model is above
     * the floor (up to rounding and the always-counted slot), the measured constant bound below.
     */
    public long bound(LmConfig c, SortedSet<Integer> active, int rows, int seqLen, dev.atelier.zo.alloc.Residency r) {
        long block = blockCosts(c).residentBytes()[0];
        int held = r.resident(active, c.dims().numLayers()).size();
        return fixedBytes(c, rows, seqLen) + held * block;
    }

    /**
     * The peak to expect for a client in {@code mode}: the prediction where the model applies,
     * else the planner's bound for the blocks the mode holds (FULL and CACHED_PREFIX: all).
     */
    public long expected(LmConfig c, SortedSet<Integer> active, int rows, int seqLen, ClientMode mode) {
        Prediction p = predict(c, active, rows, seqLen, mode);
        if (p.applies()) {
            return p.peak();
        }
        return switch (mode) {
            case FULL, CACHED_PREFIX ->
                bound(
                        c,
                        new java.util.TreeSet<>(java.util.Set.of(0)),
                        rows,
                        seqLen,
                        dev.atelier.zo.alloc.Residency.SUFFIX);
            case STREAMED_PREFIX -> bound(c, active, rows, seqLen, dev.atelier.zo.alloc.Residency.SUFFIX);
            case ACTIVE_ONLY -> bound(c, active, rows, seqLen, dev.atelier.zo.alloc.Residency.ACTIVE);
        };
    }

    /** A client for the allocator: its budget and examples, its fixed part from this model. */
    public dev.atelier.zo.alloc.ClientSpec client(
            String id, long budgetBytes, long examples, LmConfig c, int rows, int seqLen) {
        return new dev.atelier.zo.alloc.ClientSpec(id, budgetBytes, examples, fixedBytes(c, rows, seqLen));
    }

    /**
     * ... and each block's F32 bytes: peak = fixedBytes + Σ bytes_b over the resident blocks (from
     * the lowest active one up, or the active ones: {@link dev.atelier.zo.alloc.Residency}).
     */
    public static BlockCosts blockCosts(LmConfig c) {
        return BlockCosts.uniform(c.dims().numLayers(), blockParams(c), 4 * blockParams(c));
    }

    /** Scalars of one decoder block (all blocks of a checkpoint have the same shapes). */
    public static long blockParams(LmConfig c) {
        return (c.parameterCount() - fixedParams(c)) / c.dims().numLayers();
    }

    /** Scalars outside the decoder blocks: embeddings, learned positions, final norm, untied head. */
    public static long fixedParams(LmConfig c) {
        var d = c.dims();
        long h = d.hiddenSize();
        long embed = (long) d.vocabSize() * h;
        long positions = c.family() == Family.LLAMA ? 0 : (long) (d.maxPositions() + c.positionOffset()) * h;
        long finalNorm = c.family() == Family.LLAMA ? h : 2 * h;
        return embed + positions + finalNorm + (c.tiedHead() ? 0 : embed);
    }

    /**
     * The largest set of arrays alive at once while one row of {@code seqLen} tokens runs from
     * block {@code from}: the logits with the final norm's output, plus the keys and values of the
     * blocks run, plus one block's widest temporaries (the MLP hidden twice, the residual and
     * norm rows).
     */
    static long rowLiveBytes(LmConfig c, int seqLen, int from) {
        var d = c.dims();
        long kv = 2L * (d.numLayers() - from) * d.kvDim();
        long block = 2L * d.intermediateSize() + 4L * d.hiddenSize();
        return 4L * seqLen * (d.vocabSize() + d.hiddenSize() + kv + block);
    }
}
