package dev.atelier.core.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.atelier.core.message.Failure;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The one JSON form of {@link RoundRecord} and {@link Failure}, used by {@code metrics.jsonl}
 * ({@link RunDirectory}), the coordinator's {@code /status} document and its state database.
 * Format (docs/formats.md), keys in this order:
 * <pre>
 * {"round":3,"sampled":4,"replies":3,"aggregated":true,"fit":{"loss":0.41},"eval":{},
 *  "seconds":12.345,"failures":[{"node":"n2","kind":"TIMEOUT","reason":"no reply in 600 s"}],
 *  "node_waits":0,"federated_eval":null,"privacy":null}
 * </pre>
 * Metric maps are written sorted by key; {@code seconds} is rounded to milliseconds; a NaN
 * metric is the string {@code "NaN"}.
 *
 * <p>Bound by Jackson from the records themselves: a new {@link RoundRecord} component is written
 * and read without code here (list it in {@link RecordFormat}'s {@code @JsonPropertyOrder} to fix
 * its position). Reading is strict, as for anything a file or peer sends: every component must be
 * present, unknown keys and wrong types are refused, and counts are range-checked; errors are one
 * line {@link IllegalArgumentException}s. Stateless and thread-safe.
 */
public final class RoundRecordCodec {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addMixIn(RoundRecord.class, RecordFormat.class)
            .addMixIn(Failure.class, FailureFormat.class)
            .addMixIn(RoundPrivacy.class, PrivacyFormat.class)
            .addModule(new Jdk8Module()) // Optional<FederatedEvaluation>: absent is null
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    private static final TypeReference<List<Failure>> FAILURES = new TypeReference<>() {};
    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {};

    private RoundRecordCodec() {}

    /** The record as one line of JSON (no line break). */
    public static String toJson(RoundRecord r) {
        return write(r);
    }

    /** The record as a JSON tree, to embed in a larger document (e.g. {@code /status}). */
    public static JsonNode toTree(RoundRecord r) {
        return JSON.valueToTree(r);
    }

    /** Parses {@link #toJson} output. */
    public static RoundRecord fromJson(String json) {
        try {
            return checked(JSON.treeToValue(withClipNorms(JSON.readTree(json)), RoundRecord.class));
        } catch (IOException | RuntimeException e) {
            throw refused(e);
        }
    }

    /** Parses a {@link #toTree} tree. */
    public static RoundRecord fromTree(JsonNode tree) {
        try {
            return checked(JSON.treeToValue(withClipNorms(tree.deepCopy()), RoundRecord.class));
        } catch (IOException | RuntimeException e) {
            throw refused(e);
        }
    }

    /**
     * Lines written before adaptive clipping have a {@code privacy} object without
     * {@code clip_norm} and {@code next_clip_norm}: read them as null (empty) rather than refuse the
     * run's history. Every other key stays required.
     */
    private static JsonNode withClipNorms(JsonNode tree) {
        if (tree != null && tree.get("privacy") instanceof com.fasterxml.jackson.databind.node.ObjectNode p) {
            for (String k : new String[] {"clip_norm", "next_clip_norm"}) {
                if (!p.has(k)) {
                    p.putNull(k);
                }
            }
        }
        return tree;
    }

    /** A failure list in the record's form, e.g. for a database column. */
    public static String failuresToJson(List<Failure> failures) {
        return write(failures);
    }

    public static List<Failure> failuresFromJson(String json) {
        try {
            return JSON.readValue(json, FAILURES);
        } catch (IOException | RuntimeException e) {
            throw refused(e);
        }
    }

    /** A metric map ({@code fit}, {@code eval}) in the record's form, sorted by key. */
    public static String metricsToJson(Map<String, Double> metrics) {
        return write(metrics);
    }

    public static Map<String, Double> metricsFromJson(String json) {
        try {
            return JSON.readValue(json, METRICS);
        } catch (IOException | RuntimeException e) {
            throw refused(e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a round record as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static RoundRecord checked(RoundRecord r) {
        if (r.round() < 1 || r.sampled() < 0 || r.replies() < 0 || r.replies() > r.sampled()) {
            throw new IllegalArgumentException("round " + r.round() + " with " + r.replies() + " replies of "
                    + r.sampled() + " sampled is out of range");
        }
        if (!(r.seconds() >= 0) || Double.isInfinite(r.seconds())) {
            throw new IllegalArgumentException("seconds must be finite and >= 0, got " + r.seconds());
        }
        return r;
    }

    private static IllegalArgumentException refused(Exception e) {
        String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return new IllegalArgumentException(
                "not a round record: " + (why == null ? e.getClass().getSimpleName() : why.replace('\n', ' ')), e);
    }

    /** How {@link RoundRecord} maps to JSON. */
    @JsonPropertyOrder({
        "round",
        "sampled",
        "replies",
        "aggregated",
        "fit",
        "eval",
        "seconds",
        "failures",
        "node_waits",
        "federated_eval",
        "privacy"
    })
    private abstract static class RecordFormat {
        @JsonSerialize(using = Milliseconds.class)
        abstract double seconds();

        @JsonProperty("node_waits")
        abstract int nodeWaits();

        @JsonProperty("federated_eval")
        abstract java.util.Optional<FederatedEvaluation> federatedEval();
    }

    /** How {@link RoundPrivacy} maps to JSON: the clip norms in snake case. */
    private abstract static class PrivacyFormat {
        @JsonProperty("clip_norm")
        abstract java.util.Optional<Double> clipNorm();

        @JsonProperty("next_clip_norm")
        abstract java.util.Optional<Double> nextClipNorm();
    }

    /** How {@link Failure} maps to JSON: {@code nodeId} is {@code node}. */
    @JsonPropertyOrder({"node", "kind", "reason"})
    private abstract static class FailureFormat {
        @JsonCreator
        FailureFormat(
                @JsonProperty("node") String nodeId,
                @JsonProperty("kind") Failure.Kind kind,
                @JsonProperty("reason") String reason) {}

        @JsonProperty("node")
        abstract String nodeId();
    }

    /** Seconds rounded to milliseconds: wall times need no more, and lines stay short. */
    private static final class Milliseconds extends StdSerializer<Double> {
        Milliseconds() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            double v = value;
            gen.writeNumber(Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v);
        }
    }
}
