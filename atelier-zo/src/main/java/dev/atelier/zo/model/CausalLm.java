package dev.atelier.zo.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A decoder-only transformer LM (GPT-2, OPT or Llama family) in pure-Java float32, loaded from a
 * Hugging Face folder by {@link #load}. {@link #forward} runs new tokens through the network,
 * appending their keys/values to a {@link KvCache}; {@link #logits} is the full-sequence forward
 * with a fresh cache. Logits are [tokens, vocab] row-major, unnormalised, float32.
 *
 * <p>Parameters are exposed as live {@link Param} arrays ({@link #parameters}, per decoder block
 * {@link #blockParameters}) so zeroth-order training can perturb and update them in place without
 * a copy. Forwards only read parameters, so concurrent forwards (each with its own cache) are
 * safe while no one writes them.
 *
 * <p>A model may hold only the decoder blocks from {@link #firstResidentBlock} up ({@link
 * #load(Path, int)}): the frozen prefix below then stays on disk, and the model runs from the
 * prefix's cached output ({@link #logitsFrom}, {@link FrozenPrefix}). Such a model's {@link
 * #parameters} are the resident ones; {@link #parameterIndices} maps them to their index in the
 * full model's list, which is what keys the ZO noise.
 *
 * <p>More sparsely, a model may hold only some blocks ({@link #loadHeld}): embeddings, final norm
 * and head always, the held blocks in their own arrays, and every other block from the lowest
 * held one up read from disk into one shared {@link BlockSlot} each time a forward reaches it.
 * Such streamed blocks are frozen: they have no {@link #blockParameters}. Forwards on a model with
 * streamed blocks refill the slot, so they are not thread-safe; a forward from the token ids
 * ({@link #logits}, {@link #lastLogits}) reads the prefix below the lowest held block the same way.
 */
public final class CausalLm {
    private final LmConfig config;
    private final Param tokenEmbedding;
    private final Param positionEmbedding;
    /** Blocks [firstBlock, layers); null where the block is streamed through {@link #stream}. */
    private final DecoderBlock[] blocks;
    /** Reads non-held blocks (below firstBlock, or null entries); null when none is ever read. */
    private final BlockSlot stream;

    private final Norm finalNorm;
    private final Linear head;
    private final int firstBlock;
    /** The open prefix memo ({@link #memoizePrefix}), or null. */
    private PrefixMemo memo;

    /**
     * {@code positionEmbedding} is null for RoPE models; {@code blocks} are the decoder blocks
     * [firstBlock, layers), null where streamed; {@code stream} reads the others (null when every
     * block from firstBlock up is held and no prefix is read).
     */
    CausalLm(
            LmConfig config,
            Param tokenEmbedding,
            Param positionEmbedding,
            List<DecoderBlock> blocks,
            Norm finalNorm,
            Linear head,
            int firstBlock,
            BlockSlot stream) {
        if (firstBlock + blocks.size() != config.dims().numLayers()) {
            throw new IllegalArgumentException("blocks [" + firstBlock + ", " + (firstBlock + blocks.size())
                    + ") do not end at the model's " + config.dims().numLayers() + " layers");
        }
        if (blocks.isEmpty() || blocks.get(0) == null || (stream == null && blocks.contains(null))) {
            throw new IllegalArgumentException(
                    "the lowest resident block must be held, and streamed blocks need a stream");
        }
        this.config = config;
        this.tokenEmbedding = tokenEmbedding;
        this.positionEmbedding = positionEmbedding;
        this.blocks = blocks.toArray(DecoderBlock[]::new);
        this.stream = stream;
        this.finalNorm = finalNorm;
        this.head = head;
        this.firstBlock = firstBlock;
    }

    /** Loads config.json and model.safetensors (or its sharded index) from {@code dir}. */
    public static CausalLm load(Path dir) throws IOException {
        return HfModelLoader.load(dir);
    }

    /**
     * Loads embeddings, final norm, head and only the decoder blocks [firstBlock, layers) from
     * {@code dir}; the blocks below are never read. Such a model runs through {@link #logitsFrom}.
     */
    public static CausalLm load(Path dir, int firstBlock) throws IOException {
        return HfModelLoader.load(dir, firstBlock);
    }

    /**
     * Loads embeddings, final norm, head and only the decoder blocks in {@code held} (non-empty,
     * each in [0, layers)) from {@code dir}; the blocks between them and above are streamed from
     * {@code dir} through one shared slot when a forward reaches them, the blocks below the lowest
     * held one are the frozen prefix ({@link FrozenPrefix}, read through the same slot). The
     * checkpoint must not change while the model is used. Runs through {@link #logitsFrom}.
     */
    public static CausalLm loadHeld(Path dir, java.util.SortedSet<Integer> held) throws IOException {
        return HfModelLoader.load(dir, held);
    }

    /** True when decoder block {@code layer} is in this model's own arrays (not read from disk). */
    public boolean holds(int layer) {
        return layer >= firstBlock && layer < numBlocks() && blocks[layer - firstBlock] != null;
    }

    /** The lowest decoder block this model holds in memory (0 for a fully loaded model). */
    public int firstResidentBlock() {
        return firstBlock;
    }

    public LmConfig config() {
        return config;
    }

    /** A cache for one sequence of up to {@code capacity} positions (≤ max positions). */
    public KvCache newCache(int capacity) {
        int max = config.dims().maxPositions();
        if (capacity < 1 || capacity > max) {
            throw new IllegalArgumentException(
                    "sequence length " + capacity + " is outside [1, " + max + "] (the model's max positions)");
        }
        return new KvCache(numBlocks(), capacity, config.dims().kvDim());
    }

    /** Full-sequence causal forward: logits [ids.length, vocab]. */
    public float[] logits(int[] ids) {
        return forward(ids, newCache(Math.max(1, ids.length)), true);
    }

    /**
     * Opens a memo of the frozen prefix's output: until it is closed, {@link #logits} and {@link
     * #lastLogits} keep the input of block {@code k} for each token row they run, and a row run
     * again starts from it at block {@code k} instead of running the embeddings and blocks [0, k)
     * (reading them from disk when streamed). Exact only while nothing below block k changes: a
     * caller perturbing blocks ≥ k alone (a ZO step whose active blocks all lie at or above k)
     * gets the same logits, bit for bit, as without the memo; the rows' cached inputs are the
     * memory model's "cached prefix" term. One memo at a time; closing it frees the rows' inputs.
     */
    public PrefixMemo memoizePrefix(int k) {
        if (k < 1 || k >= numBlocks()) {
            throw new IllegalArgumentException("prefix end " + k + " is outside [1, " + (numBlocks() - 1) + "]");
        }
        if (memo != null) {
            throw new IllegalStateException("a prefix memo is already open on this model");
        }
        memo = new PrefixMemo(k, () -> memo = null);
        return memo;
    }

    /**
     * The last position's logits [vocab] of a full-sequence forward of {@code ids}: the blocks run
     * on every position, the final norm and the head on the last only (the head is most of a small
     * model's work, and scoring the next token needs one row). Bit-identical to the last row of
     * {@link #logits}: norm and head work row by row.
     */
    public float[] lastLogits(int[] ids) {
        int n = ids.length;
        if (n == 0) {
            throw new IllegalArgumentException("no token ids to run");
        }
        requireWholeForward();
        float[] x = runBlocks(ids, newCache(n), true);
        int h = config.dims().hiddenSize();
        float[] last = java.util.Arrays.copyOfRange(x, (n - 1) * h, n * h);
        return head.forward(finalNorm.forward(last, 1), 1);
    }

    /**
     * The last position's state after the final norm, [hidden]: what the head multiplies in
     * {@link #lastLogits}. With {@link #headLogits} it splits lastLogits in two, so a caller
     * whose trainable parameters are head rows only can run the blocks once and the head often.
     */
    public float[] lastHidden(int[] ids) {
        int n = ids.length;
        if (n == 0) {
            throw new IllegalArgumentException("no token ids to run");
        }
        requireWholeForward();
        KvCache cache = newCache(n);
        float[] x = embed(ids, 0);
        for (int l = 0; l < numBlocks(); l++) {
            block(l).forward(x, n, cache, l);
        }
        int h = config.dims().hiddenSize();
        return finalNorm.forward(java.util.Arrays.copyOfRange(x, (n - 1) * h, n * h), 1);
    }

    /**
     * The head's logits for {@code tokens} alone from a {@link #lastHidden} state: each equals
     * {@code lastLogits(ids)[token]} (the same kernel per output).
     */
    public float[] headLogits(float[] hidden, int[] tokens) {
        if (hidden.length != config.dims().hiddenSize()) {
            throw new IllegalArgumentException("hidden state has " + hidden.length + " values, the model "
                    + config.dims().hiddenSize());
        }
        int vocab = config.dims().vocabSize();
        for (int t : tokens) {
            if (t < 0 || t >= vocab) {
                throw new IllegalArgumentException("token " + t + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
        return head.forwardOutputs(hidden, tokens);
    }

    /** The token embedding (the head's weight too when tied). */
    public Param tokenEmbedding() {
        return tokenEmbedding;
    }

    /** The output head's weight tensor ([vocab, hidden] when {@link #headWeightName} works). */
    public Param headWeight() {
        return head.weight();
    }

    /**
     * Runs {@code ids} at positions cache.length() .. cache.length() + ids.length − 1 and returns
     * their logits [ids.length, vocab]; the cache then holds them too.
     */
    public float[] forward(int[] ids, KvCache cache) {
        return forward(ids, cache, false);
    }

    private float[] forward(int[] ids, KvCache cache, boolean memoized) {
        int n = ids.length;
        if (n == 0) {
            throw new IllegalArgumentException("no token ids to run");
        }
        if (cache.length() + n > cache.capacity()) {
            throw new IllegalArgumentException(
                    "sequence of " + (cache.length() + n) + " tokens exceeds the cache capacity " + cache.capacity());
        }
        requireWholeForward();
        float[] x = runBlocks(ids, cache, memoized);
        cache.advance(n);
        return head.forward(finalNorm.forward(x, n), n);
    }

    /**
     * Embeddings and every block over {@code ids} at positions cache.length() ..; with {@code
     * memoized} and an open {@link PrefixMemo} (a fresh cache only: the memo's rows have no keys or
     * values below its block), from the memo's input of block k when it holds these ids, else
     * recording that input on the way.
     */
    private float[] runBlocks(int[] ids, KvCache cache, boolean memoized) {
        int n = ids.length;
        PrefixMemo m = memoized && cache.length() == 0 ? memo : null;
        float[] cached = m == null ? null : m.input(ids);
        int from = cached == null ? 0 : m.block();
        float[] x = cached == null ? embed(ids, cache.length()) : cached;
        for (int l = from; l < numBlocks(); l++) {
            if (m != null && cached == null && l == m.block()) {
                m.record(ids, x);
            }
            block(l).forward(x, n, cache, l);
        }
        return x;
    }

    /**
     * A forward from the token ids needs every block below {@link #firstResidentBlock} too: a model
     * that streams blocks reads them from disk; one loaded from a block up ({@link #load(Path, int)}
     * without a slot) cannot.
     */
    private void requireWholeForward() {
        if (firstBlock > 0 && stream == null) {
            throw new IllegalStateException("this model holds blocks [" + firstBlock + ", " + numBlocks()
                    + ") only; run it from the frozen prefix's output (logitsFrom)");
        }
    }

    /**
     * The checkpoint folder this model streams its frozen blocks from has changed (a replica's
     * replayed update): the next forward reads them again instead of reusing the slot's copy.
     */
    public void rereadStreamed() {
        if (stream != null) {
            stream.forget();
        }
    }

    /**
     * Token (+ learned position) embeddings of {@code ids} at positions {@code past} ..: the
     * input of block 0, [ids.length, hidden].
     */
    public float[] embed(int[] ids, int past) {
        int n = ids.length;
        int h = config.dims().hiddenSize();
        int vocab = config.dims().vocabSize();
        if (past < 0 || past + n > config.dims().maxPositions()) {
            throw new IllegalArgumentException("positions [" + past + ", " + (past + n) + ") exceed the model's "
                    + config.dims().maxPositions());
        }
        float[] x = new float[n * h];
        float[] te = tokenEmbedding.values();
        for (int r = 0; r < n; r++) {
            int id = ids[r];
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + vocab + ")");
            }
            System.arraycopy(te, id * h, x, r * h, h);
            if (positionEmbedding != null) {
                int pos = past + r + config.positionOffset();
                float[] pe = positionEmbedding.values();
                for (int i = 0; i < h; i++) {
                    x[r * h + i] += pe[pos * h + i];
                }
            }
        }
        return x;
    }

    /**
     * Full-sequence forward from the input of block {@code from} ({@code hidden}, [n, hidden],
     * positions 0 .. n−1, e.g. a cached frozen-prefix output): blocks [from, layers), final norm,
     * head; logits [n, vocab]. Bit-identical to {@link #logits} when {@code hidden} is what blocks
     * [0, from) make of the ids. {@code hidden} is not modified. Needs from ≥ {@link
     * #firstResidentBlock}.
     */
    public float[] logitsFrom(float[] hidden, int n, int from) {
        if (from < firstBlock || from > numBlocks()) {
            throw new IllegalArgumentException(
                    "block " + from + " is outside the resident blocks [" + firstBlock + ", " + numBlocks() + "]");
        }
        if (n < 1 || hidden.length != n * config.dims().hiddenSize()) {
            throw new IllegalArgumentException("hidden holds " + hidden.length + " values, expected " + n + " x "
                    + config.dims().hiddenSize());
        }
        if (n > config.dims().maxPositions()) {
            throw new IllegalArgumentException(
                    n + " positions exceed the model's " + config.dims().maxPositions());
        }
        float[] x = hidden.clone();
        // Keys/values of the blocks run here only: cache layer l − from.
        KvCache cache =
                new KvCache(Math.max(1, numBlocks() - from), n, config.dims().kvDim());
        for (int l = from; l < numBlocks(); l++) {
            block(l).forward(x, n, cache, l - from);
        }
        cache.advance(n);
        return head.forward(finalNorm.forward(x, n), n);
    }

    /**
     * Runs decoder block {@code layer} on {@code x} ([n, hidden], positions 0 ..) in place: from
     * memory when held, else read from disk into the slot (a model loaded whole needs no disk).
     */
    void runBlock(int layer, float[] x, int n) {
        block(layer).forward(x, n, new KvCache(1, n, config.dims().kvDim()), 0);
    }

    /** True when running {@code layer} reads it from disk (it is not held, and a stream exists). */
    boolean streams(int layer) {
        return !holds(layer) && stream != null;
    }

    private DecoderBlock block(int layer) {
        if (holds(layer)) {
            return blocks[layer - firstBlock];
        }
        if (stream == null) {
            throw new IllegalStateException("block " + layer + " is not resident and this model reads no blocks");
        }
        return stream.load(layer);
    }

    /**
     * Threads every forward splits its matrix products over (all models share one pool):
     * {@code -Datelier.zo.threads=N} read once, else the available processors.
     */
    public static int threads() {
        return Kernels.pool().getParallelism();
    }

    /**
     * The fork-join pool of {@link #threads} threads the forward runs on, for other element-wise
     * work on the parameters (the ZO perturbations) to share instead of adding threads.
     */
    public static java.util.concurrent.ForkJoinPool pool() {
        return Kernels.pool();
    }

    /** Number of decoder blocks (layers), resident or not. */
    public int numBlocks() {
        return config.dims().numLayers();
    }

    /**
     * The live parameters of resident decoder block {@code layer}, in checkpoint order; none for a
     * block streamed from disk above the lowest held one (it is frozen: nothing of it is live).
     */
    public List<Param> blockParameters(int layer) {
        if (layer < firstBlock || layer >= numBlocks()) {
            throw new IllegalArgumentException(
                    "block " + layer + " is not resident (this model holds [" + firstBlock + ", " + numBlocks() + "))");
        }
        DecoderBlock b = blocks[layer - firstBlock];
        return b == null ? List.of() : b.params();
    }

    /**
     * For each entry of {@link #parameters}, its index in the fully loaded model's list: the
     * identity for a full model; shifted past the skipped blocks' tensors otherwise.
     */
    public int[] parameterIndices() {
        int embeddings = positionEmbedding == null ? 1 : 2;
        int perBlock = blocks[0].params().size();
        int[] out = new int[parameters().size()];
        int i = 0;
        for (; i < embeddings; i++) {
            out[i] = i;
        }
        for (int l = firstBlock; l < numBlocks(); l++) {
            if (holds(l)) {
                for (int j = 0; j < perBlock; j++) {
                    out[i++] = embeddings + l * perBlock + j;
                }
            }
        }
        for (int j = 0; i < out.length; j++) {
            out[i++] = embeddings + numBlocks() * perBlock + j;
        }
        return out;
    }

    /**
     * Every parameter once (a tied head is the embedding): embeddings, blocks in order, final
     * norm, untied head.
     */
    public List<Param> parameters() {
        List<Param> all = new ArrayList<>();
        all.add(tokenEmbedding);
        if (positionEmbedding != null) {
            all.add(positionEmbedding);
        }
        for (DecoderBlock b : blocks) {
            if (b != null) {
                all.addAll(b.params());
            }
        }
        all.addAll(finalNorm.params());
        all.addAll(head.params());
        Set<Param> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return all.stream().filter(seen::add).toList();
    }

    /**
     * The checkpoint name of the output head's weight, whose row v is token v's output vector
     * (the token embedding's name when the head is tied): what a row-restricted trainable scope
     * names to fine-tune some tokens' logits (docs/zo.md, "Trainable scope").
     */
    public String headWeightName() {
        if (!head.rowPerOutput()) {
            throw new IllegalStateException("the output head is stored [hidden, vocab]; its rows are not tokens");
        }
        return head.weight().name();
    }

    /** Total parameter count (tied head counted once). */
    public long parameterCount() {
        return parameters().stream().mapToLong(p -> p.values().length).sum();
    }
}
