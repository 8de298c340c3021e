package dev.atelier.zo.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.core.params.DType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Randomly initialised checkpoints with other sizes than the references (head counts, GQA ratio,
 * explicit head_dim, more layers, odd vocab): shapes and self-consistency of the forward, and the
 * equivalence of storage variants (dtype, shards, tying, name prefixes).
 */
class CheckpointVariantsTest {
    static final TestCheckpoints.Spec SPEC = new TestCheckpoints.Spec(97, 48, 3, 6, 2, 12, 80, 32);
    static final int[] IDS = {5, 96, 0, 41, 41, 7, 63, 12, 88, 3};

    @TempDir
    Path tmp;

    private Path writeRandom(Family f, String name, boolean tied, DType dtype) throws Exception {
        var shapes = TestCheckpoints.shapes(f, SPEC, tied);
        return TestCheckpoints.write(
                tmp.resolve(name),
                TestCheckpoints.config(f, SPEC, tied),
                shapes,
                TestCheckpoints.random(shapes, 7),
                dtype);
    }

    /** Writes {@code values} as an F32 checkpoint in {@code tmp/name} and loads it. */
    private CausalLm loadF32(String name, ObjectNode config, Map<String, int[]> shapes, Map<String, float[]> values)
            throws Exception {
        return CausalLm.load(TestCheckpoints.write(tmp.resolve(name), config, shapes, values, DType.F32));
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void cachedTokenByTokenForwardEqualsFullForwardAndIsCausal(Family f) throws Exception {
        CausalLm lm = CausalLm.load(writeRandom(f, f.name(), f != Family.LLAMA, DType.F32));
        int v = SPEC.vocab();
        float[] full = lm.logits(IDS);
        assertThat(full).hasSize(IDS.length * v);
        assertThat(lm.parameterCount()).isEqualTo(lm.config().parameterCount());
        // the last position alone (scoring the next token) is the full forward's last row, bit for bit
        assertThat(lm.lastLogits(IDS))
                .containsExactly(java.util.Arrays.copyOfRange(full, (IDS.length - 1) * v, IDS.length * v));

        KvCache cache = lm.newCache(IDS.length);
        for (int t = 0; t < IDS.length; t++) {
            float[] step = lm.forward(new int[] {IDS[t]}, cache);
            for (int i = 0; i < v; i++) {
                assertThat(step[i]).isCloseTo(full[t * v + i], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
        assertThat(cache.length()).isEqualTo(IDS.length);

        int[] changedLast = IDS.clone();
        changedLast[IDS.length - 1] = 1;
        float[] other = lm.logits(changedLast);
        for (int i = 0; i < (IDS.length - 1) * v; i++) {
            assertThat(other[i]).isEqualTo(full[i]);
        }
        assertThat(java.util.Arrays.copyOfRange(other, (IDS.length - 1) * v, IDS.length * v))
                .isNotEqualTo(java.util.Arrays.copyOfRange(full, (IDS.length - 1) * v, IDS.length * v));
    }

    /** 6 query heads on 2 kv heads equal 6 heads on 6 kv heads whose k/v rows repeat each group. */
    @Test
    void groupedQueryAttentionEqualsItsMultiHeadExpansion() throws Exception {
        var shapes = TestCheckpoints.shapes(Family.LLAMA, SPEC, false);
        var values = TestCheckpoints.random(shapes, 11);
        CausalLm gqa = loadF32("gqa", TestCheckpoints.config(Family.LLAMA, SPEC, false), shapes, values);

        var mhaSpec = new TestCheckpoints.Spec(97, 48, 3, 6, 6, 12, 80, 32);
        var mhaShapes = TestCheckpoints.shapes(Family.LLAMA, mhaSpec, false);
        Map<String, float[]> mha = new LinkedHashMap<>(values);
        int hd = SPEC.headDim();
        int in = SPEC.hidden();
        for (String name : values.keySet()) {
            if (name.endsWith("k_proj.weight") || name.endsWith("v_proj.weight")) {
                float[] src = values.get(name);
                float[] dst = new float[6 * hd * in];
                for (int head = 0; head < 6; head++) {
                    System.arraycopy(src, (head / 3) * hd * in, dst, head * hd * in, hd * in);
                }
                mha.put(name, dst);
            }
        }
        CausalLm expanded = loadF32("mha", TestCheckpoints.config(Family.LLAMA, mhaSpec, false), mhaShapes, mha);
        assertThat(expanded.logits(IDS)).containsExactly(gqa.logits(IDS));
    }

    @ParameterizedTest
    @EnumSource(
            value = DType.class,
            names = {"F16", "BF16"})
    void halfPrecisionCopiesLoadAsTheirRoundedFloat32Values(DType dtype) throws Exception {
        var shapes = TestCheckpoints.shapes(Family.LLAMA, SPEC, false);
        var values = TestCheckpoints.random(shapes, 3);
        ObjectNode config = TestCheckpoints.config(Family.LLAMA, SPEC, false);
        CausalLm half = CausalLm.load(TestCheckpoints.write(tmp.resolve("half"), config, shapes, values, dtype));
        CausalLm f32Rounded = loadF32("rounded", config, shapes, TestCheckpoints.rounded(values, dtype));
        CausalLm f32 = loadF32("f32", config, shapes, values);
        float[] h = half.logits(IDS);
        assertThat(h).containsExactly(f32Rounded.logits(IDS));
        float[] exact = f32.logits(IDS);
        double tol = dtype == DType.F16 ? 0.02 : 0.2;
        double maxErr = 0;
        for (int i = 0; i < h.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(h[i] - exact[i]));
        }
        assertThat(maxErr).isGreaterThan(0).isLessThan(tol);
    }

    @Test
    void referenceInHalfPrecisionStaysCloseToTheFloat32Reference() throws Exception {
        for (String name : LmRefs.NAMES) {
            var ref = LmRefs.expected(name);
            var params =
                    dev.atelier.core.params.Safetensors.read(LmRefs.dir(name).resolve("model.safetensors"));
            for (DType dtype : new DType[] {DType.F16, DType.BF16}) {
                Path dir = tmp.resolve(name + "-" + dtype);
                java.nio.file.Files.createDirectories(dir);
                java.nio.file.Files.copy(LmRefs.dir(name).resolve("config.json"), dir.resolve("config.json"));
                var b = dev.atelier.core.params.ParamSet.builder();
                params.asMap().forEach((k, t) -> b.put(k, TestCheckpoints.encode(t.toFloats(), t.shape(), dtype)));
                dev.atelier.core.params.Safetensors.write(b.build(), dir.resolve("model.safetensors"));
                CausalLm lm = CausalLm.load(dir);
                float[] logits = lm.logits(ref.inputIds()[0]);
                double maxErr = 0;
                for (int i = 0; i < logits.length; i++) {
                    maxErr = Math.max(maxErr, Math.abs(logits[i] - ref.logits()[i]));
                }
                assertThat(maxErr).as(name + " " + dtype).isLessThan(dtype == DType.F16 ? 2e-3 : 2e-2);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void shardedCopyEqualsTheSingleFile(Family f) throws Exception {
        var shapes = TestCheckpoints.shapes(f, SPEC, true);
        var values = TestCheckpoints.random(shapes, 5);
        ObjectNode config = TestCheckpoints.config(f, SPEC, true);
        CausalLm single = loadF32("one", config, shapes, values);
        CausalLm sharded = CausalLm.load(TestCheckpoints.writeSharded(tmp.resolve("three"), config, shapes, values, 3));
        assertThat(sharded.logits(IDS)).containsExactly(single.logits(IDS));
    }

    /** An untied head holding a copy of the embedding computes what the tied head does. */
    @ParameterizedTest
    @EnumSource(Family.class)
    void untiedHeadWithTheEmbeddingsValuesEqualsTheTiedHead(Family f) throws Exception {
        var tiedShapes = TestCheckpoints.shapes(f, SPEC, true);
        var values = TestCheckpoints.random(tiedShapes, 9);
        CausalLm tied = loadF32("tied", TestCheckpoints.config(f, SPEC, true), tiedShapes, values);
        var untiedShapes = TestCheckpoints.shapes(f, SPEC, false);
        Map<String, float[]> untiedValues = new LinkedHashMap<>(values);
        String embed = untiedShapes.keySet().iterator().next();
        untiedValues.put("lm_head.weight", values.get(embed).clone());
        CausalLm untied = loadF32("untied", TestCheckpoints.config(f, SPEC, false), untiedShapes, untiedValues);
        assertThat(untied.logits(IDS)).containsExactly(tied.logits(IDS));
        assertThat(untied.parameterCount()).isEqualTo(tied.parameterCount() + (long) SPEC.vocab() * SPEC.hidden());
    }

    /** GPT2Model-style names (no {@code transformer.}) with the causal-mask buffers load the same. */
    @Test
    void gpt2BareModelNamesAndMaskBuffersLoadTheSame() throws Exception {
        var shapes = TestCheckpoints.shapes(Family.GPT2, SPEC, true);
        var values = TestCheckpoints.random(shapes, 13);
        ObjectNode config = TestCheckpoints.config(Family.GPT2, SPEC, true);
        CausalLm prefixed = loadF32("a", config, shapes, values);
        Map<String, int[]> bareShapes = new LinkedHashMap<>();
        Map<String, float[]> bareValues = new LinkedHashMap<>();
        shapes.forEach((k, s) -> {
            bareShapes.put(k.substring("transformer.".length()), s);
            bareValues.put(k.substring("transformer.".length()), values.get(k));
        });
        for (int l = 0; l < SPEC.layers(); l++) {
            bareShapes.put("h." + l + ".attn.bias", new int[] {1, 1, SPEC.maxPos(), SPEC.maxPos()});
            bareValues.put("h." + l + ".attn.bias", new float[SPEC.maxPos() * SPEC.maxPos()]);
        }
        CausalLm bare = loadF32("b", config, bareShapes, bareValues);
        assertThat(bare.logits(IDS)).containsExactly(prefixed.logits(IDS));
    }

    /**
     * Optional biases: Llama with {@code attention_bias}/{@code mlp_bias} and zero biases equals
     * the bias-free model, non-zero biases change it; OPT with {@code enable_bias: false} equals
     * OPT with zero biases.
     */
    @Test
    void optionalBiasesAreReadAndUsed() throws Exception {
        var shapes = TestCheckpoints.shapes(Family.LLAMA, SPEC, false);
        var values = TestCheckpoints.random(shapes, 21);
        CausalLm plain = loadF32("plain", TestCheckpoints.config(Family.LLAMA, SPEC, false), shapes, values);
        ObjectNode biasConfig = TestCheckpoints.config(Family.LLAMA, SPEC, false);
        biasConfig.put("attention_bias", true).put("mlp_bias", true);
        Map<String, int[]> biasShapes = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            biasShapes.put(name, shape);
            if (name.endsWith("_proj.weight")) {
                biasShapes.put(name.replace(".weight", ".bias"), new int[] {shape[0]});
            }
        });
        Map<String, float[]> zeroBias = new LinkedHashMap<>(values);
        biasShapes.forEach((name, shape) -> zeroBias.putIfAbsent(name, new float[shape[0]]));
        CausalLm zero = loadF32("zero", biasConfig, biasShapes, zeroBias);
        assertThat(zero.logits(IDS)).containsExactly(plain.logits(IDS));
        assertThat(zero.parameterCount()).isEqualTo(zero.config().parameterCount());
        Map<String, float[]> someBias = new LinkedHashMap<>(zeroBias);
        someBias.put(
                "model.layers.1.self_attn.v_proj.bias",
                TestCheckpoints.random(Map.of("b", new int[] {24}), 1).get("b"));
        CausalLm biased = loadF32("some", biasConfig, biasShapes, someBias);
        assertThat(biased.logits(IDS)).isNotEqualTo(plain.logits(IDS));

        var optShapes = TestCheckpoints.shapes(Family.OPT, SPEC, true);
        var optValues = TestCheckpoints.random(optShapes, 22);
        Map<String, int[]> noBiasShapes = new LinkedHashMap<>();
        Map<String, float[]> zeroed = new LinkedHashMap<>(optValues);
        optShapes.forEach((name, shape) -> {
            boolean projBias = name.endsWith(".bias") && (name.contains("_proj") || name.contains(".fc"));
            if (projBias) {
                zeroed.put(name, new float[shape[0]]);
            } else {
                noBiasShapes.put(name, shape);
            }
        });
        ObjectNode noBiasConfig = TestCheckpoints.config(Family.OPT, SPEC, true).put("enable_bias", false);
        CausalLm noBias = loadF32("opt-nobias", noBiasConfig, noBiasShapes, optValues);
        CausalLm zeroOpt = loadF32("opt-zero", TestCheckpoints.config(Family.OPT, SPEC, true), optShapes, zeroed);
        assertThat(noBias.logits(IDS)).containsExactly(zeroOpt.logits(IDS));
    }
}
