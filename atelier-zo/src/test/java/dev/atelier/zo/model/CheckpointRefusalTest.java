package dev.atelier.zo.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.core.params.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checkpoints whose math the forward does not compute are refused with one line naming why. */
class CheckpointRefusalTest {
    static final TestCheckpoints.Spec SPEC = new TestCheckpoints.Spec(50, 32, 2, 4, 2, 8, 40, 16);

    @TempDir
    Path tmp;

    static Stream<Arguments> configs() {
        return Stream.of(
                refuse(Family.LLAMA, c -> c.put("model_type", "qwen2"), "model_type 'qwen2' is not supported"),
                refuse(Family.LLAMA, c -> c.put("model_type", "mistral"), "model_type 'mistral' is not supported"),
                refuse(Family.LLAMA, c -> c.remove("model_type"), "no model_type"),
                refuse(
                        Family.LLAMA,
                        c -> c.putObject("rope_scaling")
                                .put("rope_type", "llama3")
                                .put("factor", 8.0),
                        "rope_scaling with rope_type 'llama3' is not supported"),
                refuse(
                        Family.LLAMA,
                        c -> c.putObject("rope_parameters")
                                .put("rope_type", "yarn")
                                .put("rope_theta", 1e4),
                        "rope_parameters.rope_type 'yarn' is not supported"),
                refuse(Family.LLAMA, c -> c.put("sliding_window", 4096), "sliding_window: 4096 is not supported"),
                refuse(
                        Family.LLAMA,
                        c -> c.put("hidden_act", "quick_gelu"),
                        "hidden_act 'quick_gelu' is not supported"),
                refuse(Family.LLAMA, c -> c.put("num_key_value_heads", 3), "4 attention heads are not a multiple of 3"),
                refuse(Family.LLAMA, c -> c.put("rope_theta", 5.0), "rope_theta 5.0 disagrees"),
                refuse(Family.LLAMA, c -> c.remove("hidden_size"), "config.json: missing hidden_size"),
                refuse(Family.LLAMA, c -> c.put("vocab_size", "big"), "vocab_size must be an integer"),
                refuse(
                        Family.OPT,
                        c -> c.put("do_layer_norm_before", false),
                        "do_layer_norm_before: false is not supported"),
                refuse(Family.OPT, c -> c.put("word_embed_proj_dim", 16), "word_embed_proj_dim 16 != hidden_size 32"),
                refuse(Family.GPT2, c -> c.put("activation_function", "gelu_10"), "activation_function 'gelu_10'"),
                refuse(
                        Family.GPT2,
                        c -> c.put("add_cross_attention", true),
                        "add_cross_attention: true is not supported"),
                refuse(
                        Family.GPT2,
                        c -> c.put("scale_attn_by_inverse_layer_idx", true),
                        "scale_attn_by_inverse_layer_idx: true is not supported"));
    }

    private static Arguments refuse(Family f, Consumer<ObjectNode> edit, String message) {
        return Arguments.of(f, edit, message);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void unsupportedConfigIsRefusedInOneLine(Family f, Consumer<ObjectNode> edit, String message) throws Exception {
        ObjectNode config = TestCheckpoints.config(f, SPEC, true);
        edit.accept(config);
        var shapes = TestCheckpoints.shapes(f, SPEC, true);
        Path dir = TestCheckpoints.write(tmp, config, shapes, TestCheckpoints.random(shapes, 1), DType.F32);
        assertThatThrownBy(() -> CausalLm.load(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining("\n");
    }

    @Test
    void missingTensorIsNamed() throws Exception {
        var shapes = new LinkedHashMap<>(TestCheckpoints.shapes(Family.LLAMA, SPEC, true));
        shapes.remove("model.layers.1.mlp.up_proj.weight");
        assertRefused(Family.LLAMA, true, shapes, "missing tensor 'model.layers.1.mlp.up_proj.weight'");
    }

    @Test
    void untiedHeadWithoutLmHeadIsNamed() throws Exception {
        assertRefused(
                Family.GPT2, false, TestCheckpoints.shapes(Family.GPT2, SPEC, true), "missing tensor 'lm_head.weight'");
    }

    @Test
    void unusedTensorIsRefusedRatherThanIgnored() throws Exception {
        var shapes = new LinkedHashMap<>(TestCheckpoints.shapes(Family.LLAMA, SPEC, true));
        shapes.put("model.layers.0.self_attn.q_proj.bias", new int[] {32});
        assertRefused(Family.LLAMA, true, shapes, "unexpected tensor 'model.layers.0.self_attn.q_proj.bias'");
    }

    @Test
    void wrongShapeIsNamed() throws Exception {
        var shapes = new LinkedHashMap<>(TestCheckpoints.shapes(Family.OPT, SPEC, true));
        shapes.put("model.decoder.layers.0.fc1.weight", new int[] {32, 40});
        assertRefused(
                Family.OPT,
                true,
                shapes,
                "tensor 'model.decoder.layers.0.fc1.weight' has shape [32, 40] but config.json implies [40, 32]");
    }

    @Test
    void missingShardAndMissingWeightsAreNamed() throws Exception {
        var shapes = TestCheckpoints.shapes(Family.OPT, SPEC, true);
        Path dir = TestCheckpoints.writeSharded(
                tmp, TestCheckpoints.config(Family.OPT, SPEC, true), shapes, TestCheckpoints.random(shapes, 1), 2);
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        assertThatThrownBy(() -> CausalLm.load(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("shard model-00002-of-00002.safetensors")
                .hasMessageContaining("is missing");
        Files.delete(dir.resolve("model.safetensors.index.json"));
        assertThatThrownBy(() -> CausalLm.load(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("no model.safetensors nor model.safetensors.index.json");
    }

    private void assertRefused(Family f, boolean tied, Map<String, int[]> shapes, String message) throws Exception {
        Path dir = TestCheckpoints.write(
                tmp, TestCheckpoints.config(f, SPEC, tied), shapes, TestCheckpoints.random(shapes, 1), DType.F32);
        assertThatThrownBy(() -> CausalLm.load(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining("\n");
    }
}
