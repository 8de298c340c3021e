package dev.atelier.zo.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads a Hugging Face {@code config.json} into an {@link LmConfig}. Only the families of
 * {@link Family} are accepted, and within them only the variants the forward pass computes
 * exactly: every flag that would change the math (RoPE scaling, post-LayerNorm OPT, sliding
 * windows, cross-attention, ...) is refused with one line naming the field and value, rather than
 * producing silently wrong logits. Missing optional fields take the defaults of the
 * {@code transformers} config classes; sizes are required. Stateless, thread-safe.
 */
public final class HfConfigReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfConfigReader() {}

    public static LmConfig read(Path configJson) throws IOException {
        if (!Files.isRegularFile(configJson)) {
            throw new CheckpointException(configJson + ": no config.json (a Hugging Face model folder needs one)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(configJson.toFile());
        } catch (JsonProcessingException e) {
            throw new CheckpointException(configJson + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(configJson + ": must hold a JSON object");
        }
        return parse(root);
    }

    /** Parses an already-read config object. */
    public static LmConfig parse(JsonNode c) {
        JsonNode type = c.get("model_type");
        if (type == null || !type.isTextual()) {
            throw new CheckpointException("config.json: no model_type string (accepted: gpt2, opt, llama)");
        }
        return switch (Family.of(type.asText())) {
            case GPT2 -> gpt2(c);
            case OPT -> opt(c);
            case LLAMA -> llama(c);
        };
    }

    /**
     * The end-of-sequence ids greedy generation stops at, as {@code generate()} finds them:
     * {@code eos_token_id} (an int or a list) of generation_config.json when the folder has one,
     * else of config.json; empty when neither sets it.
     */
    public static Set<Integer> eosTokenIds(Path modelDir) throws IOException {
        for (String file : new String[] {"generation_config.json", "config.json"}) {
            Path p = modelDir.resolve(file);
            if (!Files.isRegularFile(p)) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(p.toFile()).path("eos_token_id");
            } catch (JsonProcessingException e) {
                throw new CheckpointException(p + ": not valid JSON (" + e.getOriginalMessage() + ")");
            }
            if (n.isMissingNode() || n.isNull()) {
                continue;
            }
            Set<Integer> ids = new TreeSet<>();
            for (JsonNode id : n.isArray() ? n : JSON.createArrayNode().add(n)) {
                if (!id.canConvertToInt()) {
                    throw new CheckpointException(p + ": eos_token_id must be an integer or a list of them, got " + n);
                }
                ids.add(id.asInt());
            }
            return Set.copyOf(ids);
        }
        return Set.of();
    }

    private static LmConfig gpt2(JsonNode c) {
        require(c, "add_cross_attention", false, false);
        require(c, "scale_attn_weights", true, true);
        require(c, "scale_attn_by_inverse_layer_idx", false, false);
        int hidden = integer(c, "n_embd");
        int heads = integer(c, "n_head");
        int inner = c.hasNonNull("n_inner") ? integer(c, "n_inner") : 4 * hidden;
        var dims = new LmConfig.Dims(
                integer(c, "vocab_size"),
                hidden,
                integer(c, "n_layer"),
                heads,
                heads,
                headDim(hidden, heads, "n_embd", "n_head"),
                inner,
                integer(c, "n_positions"));
        return new LmConfig(
                Family.GPT2,
                dims,
                Activation.of("activation_function", text(c, "activation_function", "gelu_new")),
                number(c, "layer_norm_epsilon", 1e-5),
                bool(c, "tie_word_embeddings", true),
                true,
                true,
                0);
    }

    private static LmConfig opt(JsonNode c) {
        require(c, "do_layer_norm_before", true, true);
        require(c, "_remove_final_layer_norm", false, false);
        require(c, "layer_norm_elementwise_affine", true, true);
        int hidden = integer(c, "hidden_size");
        if (c.hasNonNull("word_embed_proj_dim") && integer(c, "word_embed_proj_dim") != hidden) {
            throw new CheckpointException("config.json: word_embed_proj_dim " + integer(c, "word_embed_proj_dim")
                    + " != hidden_size " + hidden + " (OPT's project_in/project_out) is not supported");
        }
        int heads = integer(c, "num_attention_heads");
        var dims = new LmConfig.Dims(
                integer(c, "vocab_size"),
                hidden,
                integer(c, "num_hidden_layers"),
                heads,
                heads,
                headDim(hidden, heads, "hidden_size", "num_attention_heads"),
                integer(c, "ffn_dim"),
                integer(c, "max_position_embeddings"));
        boolean bias = bool(c, "enable_bias", true);
        return new LmConfig(
                Family.OPT,
                dims,
                Activation.of("activation_function", text(c, "activation_function", "relu")),
                1e-5, // nn.LayerNorm's default: OPT has no config field for it
                bool(c, "tie_word_embeddings", true),
                bias,
                bias,
                0);
    }

    private static LmConfig llama(JsonNode c) {
        refuseIfPresent(c, "sliding_window");
        refuseIfPresent(c, "attn_logit_softcapping");
        refuseIfPresent(c, "final_logit_softcapping");
        refuseIfPresent(c, "no_rope_layers");
        require(c, "use_sliding_window", false, false);
        require(c, "partial_rotary_factor", 1.0);
        JsonNode layerTypes = c.get("layer_types");
        if (layerTypes != null && layerTypes.isArray()) {
            for (JsonNode t : layerTypes) {
                if (!"full_attention".equals(t.asText())) {
                    throw new CheckpointException(
                            "config.json: layer_types '" + t.asText() + "' is not supported (only full_attention)");
                }
            }
        }
        double theta = ropeTheta(c);
        int hidden = integer(c, "hidden_size");
        int heads = integer(c, "num_attention_heads");
        int kvHeads = c.hasNonNull("num_key_value_heads") ? integer(c, "num_key_value_heads") : heads;
        int headDim = c.hasNonNull("head_dim")
                ? integer(c, "head_dim")
                : headDim(hidden, heads, "hidden_size", "num_attention_heads");
        if (headDim % 2 != 0) {
            throw new CheckpointException("config.json: head_dim " + headDim + " must be even for RoPE");
        }
        var dims = new LmConfig.Dims(
                integer(c, "vocab_size"),
                hidden,
                integer(c, "num_hidden_layers"),
                heads,
                kvHeads,
                headDim,
                integer(c, "intermediate_size"),
                integer(c, "max_position_embeddings"));
        return new LmConfig(
                Family.LLAMA,
                dims,
                Activation.of("hidden_act", text(c, "hidden_act", "silu")),
                number(c, "rms_norm_eps", 1e-6),
                bool(c, "tie_word_embeddings", false),
                bool(c, "attention_bias", false),
                bool(c, "mlp_bias", false),
                theta);
    }

    /**
     * RoPE base from {@code rope_parameters.rope_theta} (transformers 5) or the older top-level
     * {@code rope_theta}; only the unscaled {@code default} rope type is accepted.
     */
    private static double ropeTheta(JsonNode c) {
        JsonNode scaling = c.get("rope_scaling");
        if (scaling != null && !scaling.isNull()) {
            String t = scaling.path("rope_type").asText(scaling.path("type").asText("?"));
            if (!t.equals("default")) {
                throw new CheckpointException("config.json: rope_scaling with rope_type '" + t
                        + "' is not supported (only unscaled RoPE, rope_type 'default')");
            }
        }
        Double theta = null;
        JsonNode params = c.get("rope_parameters");
        if (params != null && !params.isNull()) {
            String t = params.path("rope_type").asText("default");
            if (!t.equals("default")) {
                throw new CheckpointException("config.json: rope_parameters.rope_type '" + t
                        + "' is not supported (only unscaled RoPE, rope_type 'default')");
            }
            require(params, "partial_rotary_factor", 1.0);
            if (params.has("rope_theta")) {
                theta = number(params, "rope_theta", 10000);
            }
        }
        if (c.hasNonNull("rope_theta")) {
            double top = number(c, "rope_theta", 10000);
            if (theta != null && theta != top) {
                throw new CheckpointException(
                        "config.json: rope_theta " + top + " disagrees with rope_parameters" + ".rope_theta " + theta);
            }
            theta = top;
        }
        return theta == null ? 10000 : theta;
    }

    private static int headDim(int hidden, int heads, String hiddenField, String headsField) {
        if (heads <= 0 || hidden % heads != 0) {
            throw new CheckpointException(
                    "config.json: " + hiddenField + " " + hidden + " is not a multiple of " + headsField + " " + heads);
        }
        return hidden / heads;
    }

    private static int integer(JsonNode c, String field) {
        Integer v =
                field(c, field, null, n -> n.isIntegralNumber() && n.canConvertToInt(), "an integer", JsonNode::asInt);
        if (v == null) {
            throw new CheckpointException("config.json: missing " + field);
        }
        return v;
    }

    private static double number(JsonNode c, String field, double dflt) {
        return field(c, field, dflt, JsonNode::isNumber, "a number", JsonNode::asDouble);
    }

    private static boolean bool(JsonNode c, String field, boolean dflt) {
        return field(c, field, dflt, JsonNode::isBoolean, "true or false", JsonNode::asBoolean);
    }

    private static String text(JsonNode c, String field, String dflt) {
        return field(c, field, dflt, JsonNode::isTextual, "a string", JsonNode::asText);
    }

    /** {@code field} of {@code c}: {@code dflt} when absent or null, refused unless {@code is}, else {@code value}. */
    private static <T> T field(
            JsonNode c, String field, T dflt, Predicate<JsonNode> is, String mustBe, Function<JsonNode, T> value) {
        JsonNode n = c.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!is.test(n)) {
            throw new CheckpointException("config.json: " + field + " must be " + mustBe + ", got " + n);
        }
        return value.apply(n);
    }

    /** Refuses a boolean flag whose value (or default when absent) is not the supported one. */
    private static void require(JsonNode c, String field, boolean dflt, boolean supported) {
        if (bool(c, field, dflt) != supported) {
            throw new CheckpointException("config.json: " + field + ": " + !supported + " is not supported");
        }
    }

    private static void require(JsonNode c, String field, double supported) {
        double v = number(c, field, supported);
        if (v != supported) {
            throw new CheckpointException(
                    "config.json: " + field + ": " + v + " is not supported (only " + supported + ")");
        }
    }

    private static void refuseIfPresent(JsonNode c, String field) {
        JsonNode n = c.get(field);
        if (n != null && !n.isNull()) {
            throw new CheckpointException("config.json: " + field + ": " + n + " is not supported");
        }
    }
}
