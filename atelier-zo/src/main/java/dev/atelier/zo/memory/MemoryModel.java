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
 *       up ({@link ClientMode#STREAMED_PREFIX}) or all blocks (other modes);
 *   <li>the streaming slot: one block's weights, when blocks below the lowest active one are
 *       streamed from disk;
 *   <li>the cached prefix output: rows · seq · hidden floats;
 *   <li>the young generation the protocol fixes ({@code -Xmn}): forward temporaries die there;
 *   <li>one row's forward live set (logits, keys/values, MLP hidden) beyond that young generation
 *       (such arrays are allocated in the old generation);
 *   <li>{@code runtimeBytes}: JIT code, metaspace and collector structures added during the steps,
 *       a constant calibrated on one run (docs/zo.md says which).
 * </ul>
 * Immutable.
 */
public record MemoryModel(long youngBytes, long runtimeBytes) {
    /** The constants of the protocol's child JVM ({@link ChildJvm#GC_FLAGS}: -Xmn32m). */
    public static final MemoryModel PROTOCOL = new MemoryModel(32L << 20, 14L << 20);

    /** Each term in bytes; {@link #peak} is their sum (the step phase, which bounds loading too). */
    public record Prediction(
            long residentWeights, long streamSlot, long prefixCache, long young, long activations, long runtime) {
        public long peak() {
            return residentWeights + streamSlot + prefixCache + young + activations + runtime;
        }
    }

    public Prediction predict(LmConfig c, SortedSet<Integer> active, int rows, int seqLen, ClientMode mode) {
        int k = active.first();
        int layers = c.dims().numLayers();
        boolean streamed = mode == ClientMode.STREAMED_PREFIX && k > 0;
        long resident = 4 * (fixedParams(c) + (long) (streamed ? layers - k : layers) * blockParams(c));
        long slot = streamed ? 4 * blockParams(c) : 0;
        long cache =
                mode != ClientMode.FULL && k > 0 ? 4L * rows * seqLen * c.dims().hiddenSize() : 0;
        long live = rowLiveBytes(c, seqLen, mode == ClientMode.FULL ? 0 : k);
        return new Prediction(resident, slot, cache, youngBytes, Math.max(0, live - youngBytes), runtimeBytes);
    }

    /**
     * What the allocator needs for a client running {@code rows} × {@code seqLen} batches in
     * {@link ClientMode#STREAMED_PREFIX}: the block-independent part of the peak (the streaming
     * slot always counted, so the bound is safe for clients holding block 0 too) ...
     */
    public long fixedBytes(LmConfig c, int rows, int seqLen) {
        long live = rowLiveBytes(c, seqLen, 0);
        return 4 * fixedParams(c)
                + 4 * blockParams(c)
                + 4L * rows * seqLen * c.dims().hiddenSize()
                + youngBytes
                + Math.max(0, live - youngBytes)
                + runtimeBytes;
    }

    /** A client for the allocator: its budget and examples, its fixed part from this model. */
    public dev.atelier.zo.alloc.ClientSpec client(
            String id, long budgetBytes, long examples, LmConfig c, int rows, int seqLen) {
        return new dev.atelier.zo.alloc.ClientSpec(id, budgetBytes, examples, fixedBytes(c, rows, seqLen));
    }

    /** ... and each block's size: peak = fixedBytes + Σ_{b ≥ lowest active} bytes_b. */
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
