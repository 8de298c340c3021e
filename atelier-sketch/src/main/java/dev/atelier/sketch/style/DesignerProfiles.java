package dev.atelier.sketch.style;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.ml.data.PortableRandom;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Loads, validates, generates and writes designer profile files (format {@value #FORMAT}).
 *
 * <pre>{@code
 * {
 *   "format": "atelier-designers/1",
 *   "description": "free text (optional)",
 *   "generator": { ...free-form provenance, optional... },
 *   "designers": [
 *     { "name": "ada-contour", "style": "contour", "trainPairs": 150,
 *       "garmentMix": [0.01, 0.6, ...10 probabilities by Fashion-MNIST label...] }
 *   ]
 * }
 * }</pre>
 *
 * Unknown keys are rejected (they are almost always typos). Every validation failure is an
 * {@link IllegalArgumentException} whose one-line message names the file and the field, e.g.
 * {@code designers.json: designers[2].garmentMix sums to 0.98, must be 1 ± 1.0E-6}.
 */
public final class DesignerProfiles {

    public static final String FORMAT = "atelier-designers/1";
    /** Classpath location of the eight default designers. */
    public static final String DEFAULT_RESOURCE = "/dev/atelier/sketch/style/designers.json";
    /** Dirichlet concentration used for the default designers' garment mixes. */
    public static final double DEFAULT_ALPHA = 0.3;
    /** Seed used for the default designers (mixes and train-pair order). */
    public static final long DEFAULT_SEED = 20_250_801L;
    /** Train-pair counts are spread log-evenly over [MIN_PAIRS, MAX_PAIRS]. */
    public static final int MIN_PAIRS = 60;

    public static final int MAX_PAIRS = 300;

    /** First names, alliterating with the style at the same registry position. */
    private static final String[] FIRST_NAMES = {"ada", "bram", "dalia", "hugo", "stella", "chloe", "bruno", "wanda"};

    private static final Set<String> TOP_KEYS = Set.of("format", "description", "generator", "designers");
    private static final Set<String> DESIGNER_KEYS = Set.of("name", "style", "trainPairs", "garmentMix");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DesignerProfiles() {}

    /** The eight default designers shipped in {@value #DEFAULT_RESOURCE}, one per style. */
    public static List<DesignerProfile> loadDefault() {
        String source = "classpath:" + DEFAULT_RESOURCE.substring(1);
        try (InputStream in = DesignerProfiles.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(source + ": resource not found");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Loads and validates a profiles file; see the class comment for the format. */
    public static List<DesignerProfile> load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses and validates profiles JSON; {@code source} names the origin in error messages. */
    public static List<DesignerProfile> parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    source + ": not valid JSON: "
                            + e.getOriginalMessage().lines().findFirst().orElse("") + " (line "
                            + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")",
                    e);
        }
        if (root == null || !root.isObject()) {
            throw fail(source, "top level", "must be a JSON object");
        }
        checkKeys(root, TOP_KEYS, source, "");
        JsonNode format = root.get("format");
        if (format != null && !FORMAT.equals(format.asText())) {
            throw fail(source, "format", "is '" + format.asText() + "', expected '" + FORMAT + "'");
        }
        JsonNode list = root.get("designers");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw fail(source, "designers", "must be a non-empty array");
        }
        List<DesignerProfile> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "designers[" + i + "]";
            DesignerProfile p = designer(list.get(i), source, where);
            Integer previous = seen.putIfAbsent(p.name(), i);
            if (previous != null) {
                throw fail(source, where + ".name", "'" + p.name() + "' duplicates designers[" + previous + "]");
            }
            out.add(p);
        }
        return List.copyOf(out);
    }

    private static DesignerProfile designer(JsonNode d, String source, String where) {
        if (!d.isObject()) {
            throw fail(source, where, "must be an object");
        }
        checkKeys(d, DESIGNER_KEYS, source, where + ".");
        String name = text(d, "name", source, where);
        String style = text(d, "style", source, where);
        JsonNode pairs = required(d, "trainPairs", source, where);
        if (!pairs.isIntegralNumber() || !pairs.canConvertToInt()) {
            throw fail(source, where + ".trainPairs", "must be an integer, got " + pairs);
        }
        JsonNode mix = required(d, "garmentMix", source, where);
        if (!mix.isArray()) {
            throw fail(source, where + ".garmentMix", "must be an array of " + DesignerProfile.CATEGORIES + " numbers");
        }
        double[] shares = new double[mix.size()];
        for (int c = 0; c < shares.length; c++) {
            if (!mix.get(c).isNumber()) {
                throw fail(source, where + ".garmentMix[" + c + "]", "must be a number, got " + mix.get(c));
            }
            shares[c] = mix.get(c).doubleValue();
        }
        try {
            return new DesignerProfile(name, style, shares, pairs.intValue());
        } catch (IllegalArgumentException e) {
            // The record's messages start with the field name; prefix file and position.
            throw new IllegalArgumentException(
                    source + ": " + where + "." + e.getMessage() + " (designer '" + name + "')", e);
        }
    }

    private static String text(JsonNode d, String key, String source, String where) {
        JsonNode v = required(d, key, source, where);
        if (!v.isTextual()) {
            throw fail(source, where + "." + key, "must be a string, got " + v);
        }
        return v.textValue();
    }

    private static JsonNode required(JsonNode d, String key, String source, String where) {
        JsonNode v = d.get(key);
        if (v == null || v.isNull()) {
            throw fail(source, where + "." + key, "is missing");
        }
        return v;
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String source, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw fail(
                        source,
                        prefix + key,
                        "is not a known field (allowed: "
                                + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static IllegalArgumentException fail(String source, String field, String problem) {
        return new IllegalArgumentException(source + ": " + field + " " + problem);
    }

    /**
     * Deterministically generates {@code count} designers: styles cycle through the registry order,
     * names are "first-name-style" (suffixed -2, -3 … after the first eight), garment mixes are
     * Dirichlet(alpha) draws rounded to 4 decimals (the largest share absorbs the rounding, so the
     * mix is exactly representable in a file), and train-pair counts are {@value #MIN_PAIRS}…
     * {@value #MAX_PAIRS} spaced evenly on a log scale, in seeded-shuffled order so size and style
     * are unrelated. {@code generate(8, DEFAULT_ALPHA, DEFAULT_SEED)} equals {@link #loadDefault()}.
     */
    public static List<DesignerProfile> generate(int count, double alpha, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] pairs = new int[count];
        for (int i = 0; i < count; i++) {
            double t = count == 1 ? 0 : (double) i / (count - 1);
            pairs[i] = (int) Math.round(MIN_PAIRS * Math.pow((double) MAX_PAIRS / MIN_PAIRS, t));
        }
        for (int i = count - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = pairs[i];
            pairs[i] = pairs[j];
            pairs[j] = tmp;
        }
        Styles[] styles = Styles.values();
        List<DesignerProfile> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Styles s = styles[i % styles.length];
            String name = FIRST_NAMES[i % FIRST_NAMES.length] + "-" + s.styleName()
                    + (i >= styles.length ? "-" + (i / styles.length + 1) : "");
            double[] mix = round4(PortableRandom.dirichlet(alpha, DesignerProfile.CATEGORIES, rnd));
            out.add(new DesignerProfile(name, s.styleName(), mix, pairs[i]));
        }
        return List.copyOf(out);
    }

    /** Rounds to multiples of 1e-4 whose integer numerators sum to exactly 10000. */
    private static double[] round4(double[] p) {
        long[] k = new long[p.length];
        long sum = 0;
        int largest = 0;
        for (int i = 0; i < p.length; i++) {
            k[i] = Math.round(p[i] * 10_000);
            sum += k[i];
            largest = p[i] > p[largest] ? i : largest;
        }
        k[largest] += 10_000 - sum;
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = k[i] / 10_000.0;
        }
        return out;
    }

    /** "[0.0002, 0.5, 0]": plain decimals are easier to read and diff than Jackson's 2.0E-4. */
    private static String plainNumbers(double[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ")
                    .append(BigDecimal.valueOf(values[i]).stripTrailingZeros().toPlainString());
        }
        return sb.append(']').toString();
    }

    /**
     * Serialises profiles in the {@value #FORMAT} layout (one designer per line block, the mix on one
     * line), with optional free-text {@code description} and {@code generator} provenance object.
     */
    public static String toJson(List<DesignerProfile> profiles, String description, Map<String, Object> generator) {
        try {
            StringBuilder sb = new StringBuilder("{\n");
            sb.append("  \"format\": ")
                    .append(MAPPER.writeValueAsString(FORMAT))
                    .append(",\n");
            if (description != null) {
                sb.append("  \"description\": ")
                        .append(MAPPER.writeValueAsString(description))
                        .append(",\n");
            }
            if (generator != null) {
                sb.append("  \"generator\": ")
                        .append(MAPPER.writeValueAsString(generator))
                        .append(",\n");
            }
            sb.append("  \"designers\": [\n");
            for (int i = 0; i < profiles.size(); i++) {
                DesignerProfile p = profiles.get(i);
                sb.append("    {\"name\": ")
                        .append(MAPPER.writeValueAsString(p.name()))
                        .append(", \"style\": ")
                        .append(MAPPER.writeValueAsString(p.style()))
                        .append(", \"trainPairs\": ")
                        .append(p.trainPairs())
                        .append(",\n")
                        .append("     \"garmentMix\": ")
                        .append(plainNumbers(p.garmentMix()))
                        .append("}")
                        .append(i + 1 < profiles.size() ? "," : "")
                        .append("\n");
            }
            return sb.append("  ]\n}\n").toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise designer profiles", e);
        }
    }
}
