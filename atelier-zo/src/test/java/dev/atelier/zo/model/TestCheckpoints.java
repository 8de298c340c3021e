package dev.atelier.zo.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.params.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes randomly initialised Hugging Face folders for tests: config.json as {@code transformers}
 * writes it and tensors under the names of each family (written here independently of the
 * loader's mapping), in F32/F16/BF16, single-file or sharded.
 */
final class TestCheckpoints {
    static final ObjectMapper JSON = new ObjectMapper();

    private TestCheckpoints() {}

    /** Sizes for a random model; {@code kvHeads} only matters for Llama. */
    record Spec(int vocab, int hidden, int layers, int heads, int kvHeads, int headDim, int inner, int maxPos) {}

    static ObjectNode config(Family f, Spec s, boolean tied) {
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

    /** Tensor names and shapes of a checkpoint, in HF order. */
    static Map<String, int[]> shapes(Family f, Spec s, boolean tied) {
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

    /** Random F32 tensors: norms near 1, everything else N(0, 0.2²) (large enough for varied logits). */
    static Map<String, float[]> random(Map<String, int[]> shapes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, float[]> out = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            float[] v = new float[n];
            boolean normWeight = shape.length == 1 && name.endsWith("norm.weight") || name.matches(".*ln_.*weight");
            for (int i = 0; i < n; i++) {
                v[i] = (float) (normWeight ? 1 + 0.1 * rnd.nextGaussian() : 0.2 * rnd.nextGaussian());
            }
            out.put(name, v);
        });
        return out;
    }

    static Path write(Path dir, ObjectNode config, Map<String, int[]> shapes, Map<String, float[]> values, DType dtype)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config.toPrettyString());
        Safetensors.write(
                paramSet(shapes, values, dtype, List.copyOf(shapes.keySet())), dir.resolve("model.safetensors"));
        return dir;
    }

    /** The same tensors split over {@code shards} files plus model.safetensors.index.json. */
    static Path writeSharded(
            Path dir, ObjectNode config, Map<String, int[]> shapes, Map<String, float[]> values, int shards)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config.toPrettyString());
        List<String> names = new ArrayList<>(shapes.keySet());
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", 0);
        ObjectNode map = index.putObject("weight_map");
        for (int s = 0; s < shards; s++) {
            String file = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
            List<String> part = new ArrayList<>();
            for (int i = s; i < names.size(); i += shards) {
                part.add(names.get(i));
                map.put(names.get(i), file);
            }
            Safetensors.write(paramSet(shapes, values, DType.F32, part), dir.resolve(file));
        }
        Files.writeString(dir.resolve("model.safetensors.index.json"), index.toPrettyString());
        return dir;
    }

    static ParamSet paramSet(Map<String, int[]> shapes, Map<String, float[]> values, DType dtype, List<String> names) {
        ParamSet.Builder b = ParamSet.builder();
        for (String name : names) {
            long[] shape =
                    java.util.Arrays.stream(shapes.get(name)).asLongStream().toArray();
            b.put(name, encode(values.get(name), shape, dtype));
        }
        return b.build();
    }

    static Tensor encode(float[] v, long[] shape, DType dtype) {
        return switch (dtype) {
            case F32 -> Tensor.f32(shape, v);
            case F16, BF16 -> {
                ByteBuffer buf = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (float x : v) {
                    buf.putShort(dtype == DType.F16 ? Float.floatToFloat16(x) : toBf16(x));
                }
                yield Tensor.of(dtype, shape, buf.flip());
            }
            default -> throw new IllegalArgumentException(dtype.name());
        };
    }

    /** Round-to-nearest-even float32 → bfloat16, as torch's {@code .to(torch.bfloat16)}. */
    static short toBf16(float x) {
        int bits = Float.floatToRawIntBits(x);
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /** The values as the given dtype stores them (rounded), back in float32. */
    static Map<String, float[]> rounded(Map<String, float[]> values, DType dtype) {
        Map<String, float[]> out = new LinkedHashMap<>();
        values.forEach((k, v) ->
                out.put(k, encode(v, new long[] {v.length}, dtype).toFloats()));
        return out;
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
