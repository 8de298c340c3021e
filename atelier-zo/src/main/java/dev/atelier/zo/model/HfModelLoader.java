package dev.atelier.zo.model;

import dev.atelier.zo.model.DecoderBlock.Attention;
import dev.atelier.zo.model.DecoderBlock.Mlp;
import dev.atelier.zo.model.Linear.Layout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link CausalLm} from a Hugging Face folder: the per-family mapping from checkpoint
 * tensor names and layouts to the family-neutral decoder. Accepts the names written by both the
 * LM-head class and the bare model (GPT-2 with or without {@code transformer.}, OPT with or
 * without {@code model.}). Every tensor is shape-checked against config.json, and tensors the
 * model would not use are refused.
 */
final class HfModelLoader {
    private HfModelLoader() {}

    static CausalLm load(Path dir) throws IOException {
        return load(dir, 0);
    }

    /**
     * Loads the embeddings, final norm, head and decoder blocks [firstBlock, layers); the tensors
     * of the blocks below are accounted for by name and never read, so they cost no memory.
     */
    static CausalLm load(Path dir, int firstBlock) throws IOException {
        LmConfig config = HfConfigReader.read(dir.resolve("config.json"));
        int layers = config.dims().numLayers();
        if (firstBlock < 0 || firstBlock >= layers) {
            throw new IllegalArgumentException(
                    "first resident block " + firstBlock + " is outside [0, " + layers + ")");
        }
        return load(dir, config, new Held(firstBlock, l -> l >= firstBlock, firstBlock > 0));
    }

    /** Holds only {@code held}'s blocks; every other one is streamed or the prefix ({@link CausalLm#loadHeld}). */
    static CausalLm load(Path dir, java.util.SortedSet<Integer> held) throws IOException {
        LmConfig config = HfConfigReader.read(dir.resolve("config.json"));
        int layers = config.dims().numLayers();
        if (held.isEmpty() || held.first() < 0 || held.last() >= layers) {
            throw new IllegalArgumentException(
                    "held blocks " + held + " must be a non-empty subset of [0, " + layers + ")");
        }
        int first = held.first();
        return load(dir, config, new Held(first, held::contains, first > 0 || held.size() < layers));
    }

    /** Which blocks a load keeps: those from {@code first} up that {@code keep} accepts; a slot when any is read. */
    private record Held(int first, java.util.function.IntPredicate keep, boolean streams) {
        boolean skip(int l) {
            return l < first || !keep.test(l);
        }
    }

    private static CausalLm load(Path dir, LmConfig config, Held held) throws IOException {
        HfTensors t = HfTensors.open(dir);
        BlockSlot slot = held.streams() ? new BlockSlot(dir, config) : null;
        return switch (config.family()) {
            case GPT2 -> gpt2(config, t, held, slot);
            case OPT -> opt(config, t, held, slot);
            case LLAMA -> llama(config, t, held, slot);
        };
    }

    /** Decoder block {@code layer} alone, from an open checkpoint. */
    static DecoderBlock block(HfTensors t, LmConfig config, int layer) {
        return switch (config.family()) {
            case GPT2 -> gpt2Block(config, t, gpt2Prefix(t), layer);
            case OPT -> optBlock(config, t, optPrefix(t), layer);
            case LLAMA -> llamaBlock(config, t, layer);
        };
    }

    /**
     * Overwrites the parameters of {@code slot}, a block first loaded as block {@code slotLayer}
     * (its parameters carry that block's names), with
     * those of block {@code layer} (same shapes: decoder stacks are uniform).
     */
    static void readBlockInto(HfTensors t, DecoderBlock slot, int slotLayer, int layer) {
        String from = "." + slotLayer + ".";
        String to = "." + layer + ".";
        for (Param p : slot.params()) {
            int at = p.name().indexOf(from);
            if (at < 0) {
                throw new IllegalStateException(p.name() + " does not name block " + slotLayer);
            }
            String name = p.name().substring(0, at) + to + p.name().substring(at + from.length());
            t.takeInto(name, p.shape(), p.values());
        }
    }

    private static String gpt2Prefix(HfTensors t) {
        return t.has("transformer.wte.weight") ? "transformer." : "";
    }

    private static String optPrefix(HfTensors t) {
        return t.has("model.decoder.embed_tokens.weight") ? "model.decoder." : "decoder.";
    }

    private static CausalLm gpt2(LmConfig c, HfTensors t, Held held, BlockSlot slot) {
        var d = c.dims();
        int h = d.hiddenSize();
        String p = gpt2Prefix(t);
        Param wte = t.take(p + "wte.weight", d.vocabSize(), h);
        Param wpe = t.take(p + "wpe.weight", d.maxPositions(), h);
        List<DecoderBlock> blocks = new ArrayList<>();
        for (int l = 0; l < d.numLayers(); l++) {
            if (held.skip(l)) {
                t.skip(p + "h." + l + ".");
                if (l >= held.first()) {
                    blocks.add(null);
                }
            } else {
                blocks.add(gpt2Block(c, t, p, l));
            }
        }
        Norm finalNorm = layerNorm(t, p + "ln_f", c);
        Linear head = head(c, t, wte);
        t.requireAllTaken("gpt2", ignoredWithHead(c, List.of(".attn.bias", ".attn.masked_bias")));
        return new CausalLm(c, wte, wpe, blocks, finalNorm, head, held.first(), slot);
    }

    private static DecoderBlock gpt2Block(LmConfig c, HfTensors t, String p, int l) {
        var d = c.dims();
        int h = d.hiddenSize();
        String b = p + "h." + l + ".";
        var attn = new Attention(
                conv1d(t, b + "attn.c_attn", h, 3 * h), null, null, null, conv1d(t, b + "attn.c_proj", h, h));
        var mlp = new Mlp(
                null,
                conv1d(t, b + "mlp.c_fc", h, d.intermediateSize()),
                conv1d(t, b + "mlp.c_proj", d.intermediateSize(), h),
                c.activation());
        return new DecoderBlock(d, layerNorm(t, b + "ln_1", c), attn, layerNorm(t, b + "ln_2", c), mlp, null);
    }

    private static CausalLm opt(LmConfig c, HfTensors t, Held held, BlockSlot slot) {
        var d = c.dims();
        int h = d.hiddenSize();
        String p = optPrefix(t);
        Param tokens = t.take(p + "embed_tokens.weight", d.vocabSize(), h);
        Param positions = t.take(p + "embed_positions.weight", d.maxPositions() + c.positionOffset(), h);
        List<DecoderBlock> blocks = new ArrayList<>();
        for (int l = 0; l < d.numLayers(); l++) {
            if (held.skip(l)) {
                t.skip(p + "layers." + l + ".");
                if (l >= held.first()) {
                    blocks.add(null);
                }
            } else {
                blocks.add(optBlock(c, t, p, l));
            }
        }
        Norm finalNorm = layerNorm(t, p + "final_layer_norm", c);
        Linear head = head(c, t, tokens);
        t.requireAllTaken("opt", ignoredWithHead(c, List.of()));
        return new CausalLm(c, tokens, positions, blocks, finalNorm, head, held.first(), slot);
    }

    private static DecoderBlock optBlock(LmConfig c, HfTensors t, String p, int l) {
        var d = c.dims();
        int h = d.hiddenSize();
        boolean ab = c.attentionBias();
        String b = p + "layers." + l + ".";
        var attn = new Attention(
                null,
                linear(t, b + "self_attn.q_proj", h, h, ab),
                linear(t, b + "self_attn.k_proj", h, h, ab),
                linear(t, b + "self_attn.v_proj", h, h, ab),
                linear(t, b + "self_attn.out_proj", h, h, ab));
        var mlp = new Mlp(
                null,
                linear(t, b + "fc1", h, d.intermediateSize(), c.mlpBias()),
                linear(t, b + "fc2", d.intermediateSize(), h, c.mlpBias()),
                c.activation());
        return new DecoderBlock(
                d,
                layerNorm(t, b + "self_attn_layer_norm", c),
                attn,
                layerNorm(t, b + "final_layer_norm", c),
                mlp,
                null);
    }

    private static CausalLm llama(LmConfig c, HfTensors t, Held held, BlockSlot slot) {
        var d = c.dims();
        Param tokens = t.take("model.embed_tokens.weight", d.vocabSize(), d.hiddenSize());
        List<DecoderBlock> blocks = new ArrayList<>();
        for (int l = 0; l < d.numLayers(); l++) {
            if (held.skip(l)) {
                t.skip("model.layers." + l + ".");
                if (l >= held.first()) {
                    blocks.add(null);
                }
            } else {
                blocks.add(llamaBlock(c, t, l));
            }
        }
        Norm finalNorm = rmsNorm(t, "model.norm", c);
        Linear head = head(c, t, tokens);
        t.requireAllTaken("llama", ignoredWithHead(c, List.of("rotary_emb.inv_freq")));
        return new CausalLm(c, tokens, null, blocks, finalNorm, head, held.first(), slot);
    }

    private static DecoderBlock llamaBlock(LmConfig c, HfTensors t, int l) {
        var d = c.dims();
        int h = d.hiddenSize();
        boolean ab = c.attentionBias();
        boolean mb = c.mlpBias();
        String b = "model.layers." + l + ".";
        var attn = new Attention(
                null,
                linear(t, b + "self_attn.q_proj", h, d.qDim(), ab),
                linear(t, b + "self_attn.k_proj", h, d.kvDim(), ab),
                linear(t, b + "self_attn.v_proj", h, d.kvDim(), ab),
                linear(t, b + "self_attn.o_proj", d.qDim(), h, ab));
        var mlp = new Mlp(
                linear(t, b + "mlp.gate_proj", h, d.intermediateSize(), mb),
                linear(t, b + "mlp.up_proj", h, d.intermediateSize(), mb),
                linear(t, b + "mlp.down_proj", d.intermediateSize(), h, mb),
                c.activation());
        return new DecoderBlock(
                d,
                rmsNorm(t, b + "input_layernorm", c),
                attn,
                rmsNorm(t, b + "post_attention_layernorm", c),
                mlp,
                new Rope(d.headDim(), c.ropeTheta()));
    }

    /** The LM head: the token embedding when tied (a stored {@code lm_head.weight} is then ignored, as HF does). */
    private static Linear head(LmConfig c, HfTensors t, Param embedding) {
        var d = c.dims();
        Param w = c.tiedHead() ? embedding : t.take("lm_head.weight", d.vocabSize(), d.hiddenSize());
        return new Linear(w, null, d.hiddenSize(), d.vocabSize(), Layout.OUT_IN);
    }

    private static List<String> ignoredWithHead(LmConfig c, List<String> buffers) {
        List<String> out = new ArrayList<>(buffers);
        if (c.tiedHead()) {
            out.add("lm_head.weight");
        }
        return out;
    }

    private static Linear linear(HfTensors t, String name, int in, int out, boolean bias) {
        Param w = t.take(name + ".weight", out, in);
        Param b = bias ? t.take(name + ".bias", out) : null;
        return new Linear(w, b, in, out, Layout.OUT_IN);
    }

    private static Linear conv1d(HfTensors t, String name, int in, int out) {
        return new Linear(t.take(name + ".weight", in, out), t.take(name + ".bias", out), in, out, Layout.IN_OUT);
    }

    private static Norm layerNorm(HfTensors t, String name, LmConfig c) {
        int h = c.dims().hiddenSize();
        return new Norm(Norm.Kind.LAYER, t.take(name + ".weight", h), t.take(name + ".bias", h), c.normEps());
    }

    private static Norm rmsNorm(HfTensors t, String name, LmConfig c) {
        return new Norm(Norm.Kind.RMS, t.take(name + ".weight", c.dims().hiddenSize()), null, c.normEps());
    }
}
