package dev.atelier.zo.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.params.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a randomly initialised Hugging Face model folder (config.json as {@code transformers}
 * writes it, F32 model.safetensors under the family's tensor names) for tests, benchmarks and
 * memory measurements at real sizes ({@link Preset}) when no pretrained checkpoint is at hand.
 * Weights: norms 1 + N(0, 0.1²), everything else N(0, σ²) (σ = 0.02 for presets, GPT-2's
 * {@code initializer_range}). Deterministic for a seed. Stateless.
 */
public final class RandomCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RandomCheckpoint() {}

    /** Sizes; {@code kvHeads} and {@code headDim} only matter for Llama (GPT-2/OPT use hidden/heads). */
    public record Spec(int vocab, int hidden, int layers, int heads, int kvHeads, int headDim, int inner, int maxPos) {}

    /** Published configurations, with the architecture sizes of the named checkpoints. */
    public enum Preset {
        GPT2_124M("gpt2-124m", Family.GPT2, new Spec(50257, 768, 12, 12, 12, 64, 3072, 1024), true),
        OPT_125M("opt-125m", Family.OPT, new Spec(50272, 768, 12, 12, 12, 64, 3072, 2048), true),
        SMOLLM_135M("smollm-135m", Family.LLAMA, new Spec(49152, 576, 30, 9, 3, 64, 1536, 2048), true);

        public final String id;
        public final Family family;
        public final Spec spec;
        public final boolean tied;

        Preset(String id, Family family, Spec spec, boolean tied) {
            this.id = id;
            this.family = family;
            this.spec = spec;
            this.tied = tied;
        }

        public static Preset of(String id) {
            for (Preset p : values()) {
                if (p.id.equals(id)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown preset '" + id + "' (known: gpt2-124m, opt-125m, smollm-135m)");
        }
    }

    /** Writes {@code preset} with random weights into {@code dir}. */
    public static Path write(Path dir, Preset preset, long seed) throws IOException {
        var shapes = shapes(preset.family, preset.spec, preset.tied);
        return write(dir, config(preset.family, preset.spec, preset.tied), shapes, random(shapes, seed, 0.02));
    }

    public static ObjectNode config(Family f, Spec s, boolean tied) {
        ObjectNode c = JSON.createObjectNode();
        c.put("model_type", f.modelType());
        c.put("vocab_size", s.vocab());
        c.put("tie_word_embeddings", tied);
        switch (f) {
            case GPT2 -> {
                c.put("n_embd", s.hidden()).put("n_head", s.heads()).put("n_layer", s.layers());
                c.put("n_positions", s.maxPos()).put("n_inner", s.inner());
                c.put("activation_function", "gelu_new").put("layer_norm_epsilon", 1e-5);
            }
            case OPT -> {
                c.put("hidden_size", s.hidden()).put("num_attention_heads", s.heads());
                c.put("num_hidden_layers", s.layers()).put("ffn_dim", s.inner());
                c.put("max_position_embeddings", s.maxPos()).put("do_layer_norm_before", true);
                c.put("word_embed_proj_dim", s.hidden()).put("activation_function", "relu");
            }
            case LLAMA -> {
                c.put("hidden_size", s.hidden()).put("num_attention_heads", s.heads());
                c.put("num_key_value_heads", s.kvHeads()).put("head_dim", s.headDim());
                c.put("num_hidden_layers", s.layers()).put("intermediate_size", s.inner());
                c.put("max_position_embeddings", s.maxPos()).put("hidden_act", "silu");
                c.put("rms_norm_eps", 1e-6);
                c.putObject("rope_parameters").put("rope_type", "default").put("rope_theta", 500000.0);
            }
        }
        return c;
    }

    /** Tensor names and shapes of a checkpoint, in the order {@code transformers} writes them. */
    public static Map<String, int[]> shapes(Family f, Spec s, boolean tied) {
        Map<String, int[]> m = new LinkedHashMap<>();
        int h = s.hidden();
        switch (f) {
            case GPT2 -> {
                m.put("transformer.wte.weight", new int[] {s.vocab(), h});
                m.put("transformer.wpe.weight", new int[] {s.maxPos(), h});
                for (int l = 0; l < s.layers(); l++) {
                    String b = "transformer.h." + l + ".";
                    norm(m, b + "ln_1", h, true);
                    m.put(b + "attn.c_attn.weight", new int[] {h, 3 * h});
                    m.put(b + "attn.c_attn.bias", new int[] {3 * h});
                    m.put(b + "attn.c_proj.weight", new int[] {h, h});
                    m.put(b + "attn.c_proj.bias", new int[] {h});
                    norm(m, b + "ln_2", h, true);
                    m.put(b + "mlp.c_fc.weight", new int[] {h, s.inner()});
                    m.put(b + "mlp.c_fc.bias", new int[] {s.inner()});
                    m.put(b + "mlp.c_proj.weight", new int[] {s.inner(), h});
                    m.put(b + "mlp.c_proj.bias", new int[] {h});
                }
                norm(m, "transformer.ln_f", h, true);
            }
            case OPT -> {
                String p = "model.decoder.";
                m.put(p + "embed_tokens.weight", new int[] {s.vocab(), h});
                m.put(p + "embed_positions.weight", new int[] {s.maxPos() + 2, h});
                for (int l = 0; l < s.layers(); l++) {
                    String b = p + "layers." + l + ".";
                    for (String proj : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
                        linear(m, b + "self_attn." + proj, h, h, true);
                    }
                    norm(m, b + "self_attn_layer_norm", h, true);
                    linear(m, b + "fc1", h, s.inner(), true);
                    linear(m, b + "fc2", s.inner(), h, true);
                    norm(m, b + "final_layer_norm", h, true);
                }
                norm(m, p + "final_layer_norm", h, true);
            }
            case LLAMA -> {
                int q = s.heads() * s.headDim();
                int kv = s.kvHeads() * s.headDim();
                m.put("model.embed_tokens.weight", new int[] {s.vocab(), h});
                for (int l = 0; l < s.layers(); l++) {
                    String b = "model.layers." + l + ".";
                    norm(m, b + "input_layernorm", h, false);
                    linear(m, b + "self_attn.q_proj", h, q, false);
                    linear(m, b + "self_attn.k_proj", h, kv, false);
                    linear(m, b + "self_attn.v_proj", h, kv, false);
                    linear(m, b + "self_attn.o_proj", q, h, false);
                    norm(m, b + "post_attention_layernorm", h, false);
                    linear(m, b + "mlp.gate_proj", h, s.inner(), false);
                    linear(m, b + "mlp.up_proj", h, s.inner(), false);
                    linear(m, b + "mlp.down_proj", s.inner(), h, false);
                }
                norm(m, "model.norm", h, false);
            }
        }
        if (!tied) {
            m.put("lm_head.weight", new int[] {s.vocab(), h});
        }
        return m;
    }

    /** Random float32 values for {@code shapes}: norm weights 1 + N(0, 0.1²), the rest N(0, σ²). */
    public static Map<String, float[]> random(Map<String, int[]> shapes, long seed, double sigma) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, float[]> out = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            int n = 1;
            for (int d : shape) {
                n = Math.multiplyExact(n, d);
            }
            float[] v = new float[n];
            boolean normWeight = shape.length == 1 && (name.endsWith("norm.weight") || name.matches(".*ln_.*weight"));
            for (int i = 0; i < n; i++) {
                v[i] = (float) (normWeight ? 1 + 0.1 * rnd.nextGaussian() : sigma * rnd.nextGaussian());
            }
            out.put(name, v);
        });
        return out;
    }

    /** Writes config.json and an F32 model.safetensors holding {@code values} under {@code shapes}. */
    public static Path write(Path dir, ObjectNode config, Map<String, int[]> shapes, Map<String, float[]> values)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config.toPrettyString());
        ParamSet.Builder b = ParamSet.builder();
        shapes.forEach((name, shape) -> b.put(
                name, Tensor.f32(java.util.Arrays.stream(shape).asLongStream().toArray(), values.get(name))));
        Safetensors.write(b.build(), dir.resolve("model.safetensors"));
        return dir;
    }

    private static void linear(Map<String, int[]> m, String name, int in, int out, boolean bias) {
        m.put(name + ".weight", new int[] {out, in});
        if (bias) {
            m.put(name + ".bias", new int[] {out});
        }
    }

    private static void norm(Map<String, int[]> m, String name, int h, boolean bias) {
        m.put(name + ".weight", new int[] {h});
        if (bias) {
            m.put(name + ".bias", new int[] {h});
        }
    }
}
