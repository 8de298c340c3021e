package dev.atelier.zo.memory;

import dev.atelier.zo.alloc.BlockCosts;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.LmConfig;
import java.util.SortedSet;

/**
 * Predicted peak memory (bytes above the idle engine, the quantity {@link ProbeResult#measuredPeak}
 * measures) of a ZO client as a function of its active block set, batch and sequence length
 * (docs/zo.md, "Client memory model"). All weights are F32. The terms:
 * <ul>
 *   <li>resident weights: embeddings, final norm, head, and the blocks from the lowest active one
 *       up ({@link ClientMode#STREAMED_PREFIX}), the active blocks only ({@link
 *       ClientMode#ACTIVE_ONLY}) or all blocks (other modes);
 *   <li>the streaming slot: one block's weights, when any block is read from disk;
 *   <li>the cached prefix output: rows · seq · hidden floats;
 *   <li>the young generation's usable part, eden and one survivor space ({@link
 *       #youngResidentBytes}): a training client makes all of eden resident within its first
 *       steps (every step allocates more than it holds), so the protocol's baseline excludes it;
 *   <li>one row's forward live set (logits, keys/values, MLP hidden), once: arrays alive at a
 *       young collection that do not fit a survivor space are promoted, and stay resident in the
 *       old generation until a full one (larger than the young generation, they live there anyway);
 *   <li>{@code runtimeBytes}: what the JVM adds beyond that: the JIT compiler's arenas for the ZO
 *       kernels (compiled after the baseline; session 6's NMT measured 9.5–11.6 MB of C2 arena and
 *       11–12.7 MB of arena chunk pool), the old generation's slack, copy buffers. One constant,
 *       chosen from measured minus the other terms over a calibration run (docs/zo.md).
 * </ul>
 * The same terms hold for every model size, the 0.9M-parameter base LM included (its peak is
 * mostly the young generation). Immutable.
 *
 * @param youngBytes the child JVM's young generation ({@code -Xmn})
 * @param survivorRatio eden ÷ one survivor space ({@code -XX:SurvivorRatio})
 */
public record MemoryModel(long youngBytes, int survivorRatio, long runtimeBytes) {
    /** The constants of the protocol's child JVM ({@link ChildJvm#GC_FLAGS}: -Xmn32m, SurvivorRatio 8). */
    public static final MemoryModel PROTOCOL = new MemoryModel(32L << 20, 8, 16L << 20);

    /** Each term in bytes; {@link #peak} is their sum (the step phase, which bounds loading too). */
    public record Prediction(
            long residentWeights, long streamSlot, long prefixCache, long young, long activations, long runtime) {
        public long peak() {
            return residentWeights + streamSlot + prefixCache + young + activations + runtime;
        }
    }

    /** Eden plus one survivor space: the young generation a running client keeps resident. */
    public long youngResidentBytes() {
        return youngBytes * (survivorRatio + 1) / (survivorRatio + 2);
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
        long live = rowLiveBytes(c, seqLen, mode == ClientMode.FULL ? 0 : k);
        return new Prediction(resident, slot, cache, youngResidentBytes(), live, runtimeBytes);
    }

    /**
     * What the allocator needs for a client running {@code rows} × {@code seqLen} batches: the
     * block-independent part of the peak (the streaming slot and the prefix cache always counted,
     * so the bound is safe for clients holding every block or starting at block 0 too) ...
     */
    public long fixedBytes(LmConfig c, int rows, int seqLen) {
        return 4 * fixedParams(c)
                + 4 * blockParams(c)
                + 4L * rows * seqLen * c.dims().hiddenSize()
                + youngResidentBytes()
                + rowLiveBytes(c, seqLen, 0)
                + runtimeBytes;
    }

    /**
     * What the planner counts for {@code active} ({@link #fixedBytes} plus the resident blocks'
     * {@link #blockCosts} under {@code residency}): at least the prediction's peak for the mode
     * that holds those blocks (equal up to the always-counted slot and prefix cache).
     */
    public long bound(LmConfig c, SortedSet<Integer> active, int rows, int seqLen, dev.atelier.zo.alloc.Residency r) {
        long block = blockCosts(c).residentBytes()[0];
        int held = r.resident(active, c.dims().numLayers()).size();
        return fixedBytes(c, rows, seqLen) + held * block;
    }

    /** The peak to expect for a client in {@code mode}: the prediction's {@link Prediction#peak}. */
    public long expected(LmConfig c, SortedSet<Integer> active, int rows, int seqLen, ClientMode mode) {
        return predict(c, active, rows, seqLen, mode).peak();
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
