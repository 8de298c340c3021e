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
 */
public final class CausalLm {
    private final LmConfig config;
    private final Param tokenEmbedding;
    private final Param positionEmbedding;
    private final List<DecoderBlock> blocks;
    private final Norm finalNorm;
    private final Linear head;

    /** {@code positionEmbedding} is null for RoPE models. */
    CausalLm(
            LmConfig config,
            Param tokenEmbedding,
            Param positionEmbedding,
            List<DecoderBlock> blocks,
            Norm finalNorm,
            Linear head) {
        this.config = config;
        this.tokenEmbedding = tokenEmbedding;
        this.positionEmbedding = positionEmbedding;
        this.blocks = List.copyOf(blocks);
        this.finalNorm = finalNorm;
        this.head = head;
    }

    /** Loads config.json and model.safetensors (or its sharded index) from {@code dir}. */
    public static CausalLm load(Path dir) throws IOException {
        return HfModelLoader.load(dir);
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
        return new KvCache(blocks.size(), capacity, config.dims().kvDim());
    }

    /** Full-sequence causal forward: logits [ids.length, vocab]. */
    public float[] logits(int[] ids) {
        return forward(ids, newCache(Math.max(1, ids.length)));
    }

    /**
     * Runs {@code ids} at positions cache.length() .. cache.length() + ids.length − 1 and returns
     * their logits [ids.length, vocab]; the cache then holds them too.
     */
    public float[] forward(int[] ids, KvCache cache) {
        int n = ids.length;
        if (n == 0) {
            throw new IllegalArgumentException("no token ids to run");
        }
        if (cache.length() + n > cache.capacity()) {
            throw new IllegalArgumentException(
                    "sequence of " + (cache.length() + n) + " tokens exceeds the cache capacity " + cache.capacity());
        }
        int h = config.dims().hiddenSize();
        int vocab = config.dims().vocabSize();
        float[] x = new float[n * h];
        float[] te = tokenEmbedding.values();
        for (int r = 0; r < n; r++) {
            int id = ids[r];
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + vocab + ")");
            }
            System.arraycopy(te, id * h, x, r * h, h);
            if (positionEmbedding != null) {
                int pos = cache.length() + r + config.positionOffset();
                float[] pe = positionEmbedding.values();
                for (int i = 0; i < h; i++) {
                    x[r * h + i] += pe[pos * h + i];
                }
            }
        }
        for (int l = 0; l < blocks.size(); l++) {
            blocks.get(l).forward(x, n, cache, l);
        }
        cache.advance(n);
        return head.forward(finalNorm.forward(x, n), n);
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

    /** Number of decoder blocks (layers). */
    public int numBlocks() {
        return blocks.size();
    }

    /** The live parameters of decoder block {@code layer}, in checkpoint order. */
    public List<Param> blockParameters(int layer) {
        return blocks.get(layer).params();
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
            all.addAll(b.params());
        }
        all.addAll(finalNorm.params());
        all.addAll(head.params());
        Set<Param> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return all.stream().filter(seen::add).toList();
    }

    /** Total parameter count (tied head counted once). */
    public long parameterCount() {
        return parameters().stream().mapToLong(p -> p.values().length).sum();
    }
}
