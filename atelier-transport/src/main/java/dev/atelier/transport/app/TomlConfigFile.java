package dev.atelier.transport.app;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the coordinator's TOML config file (TOML 1.0, parsed by jackson-dataformat-toml) into the
 * flat {@code dotted.key -> text} map {@link ConfigReader} checks: a table {@code [sampling]} with
 * {@code fraction = 0.5} and the dotted key {@code sampling.fraction = 0.5} are the same key.
 * Strings, integers, floats, booleans (and dates) become their text (types and ranges are checked
 * by the reader, key by key); arrays are refused, since no key takes one.
 *
 * <p>A syntax error is one line: {@code FILE:LINE:COLUMN: what}, the position where the parser
 * stopped (for a duplicate key, the start of the line after it). An old {@code key = value}
 * properties file (the format before TOML) is refused with how to convert it, not guessed at: its
 * unquoted values and inline {@code #} comments meant something else there. Files are at most
 * {@link #MAX_BYTES}. Stateless, thread-safe.
 */
final class TomlConfigFile {
    /** A coordinator config is a page of settings; anything larger is not one. */
    static final int MAX_BYTES = 1 << 20;

    private static final TomlMapper TOML = new TomlMapper();
    /** {@code key = value} with the value neither quoted nor a TOML number, boolean, array or table. */
    private static final Pattern LEGACY_LINE =
            Pattern.compile("^[A-Za-z0-9_.\\-]++\\s*+=\\s*+(?![\"'\\[{]|[+-]?(\\d|inf|nan)|true\\b|false\\b).*$");

    private TomlConfigFile() {}

    /** The flattened settings of {@code file}; IOException for a missing, unreadable or oversize file. */
    static Map<String, String> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("coordinator config " + file + " not found");
        }
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new IOException(
                    "coordinator config " + file + " is " + size + " bytes; at most " + MAX_BYTES + " are read");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("coordinator config " + file + " is not UTF-8 text");
        }
        return parse(text, file.toString());
    }

    /**
     * The flattened settings of a TOML document.
     *
     * @param source named in errors (the file)
     * @throws IllegalArgumentException one line naming source, line and column on a syntax error,
     *     or the key of an array or date value
     */
    static Map<String, String> parse(String text, String source) {
        if (text.length() > MAX_BYTES) {
            throw new IllegalArgumentException("coordinator config " + source + " is longer than " + MAX_BYTES);
        }
        JsonNode root;
        try {
            root = TOML.readTree(text);
        } catch (JacksonException e) {
            throw syntaxError(text, source, e);
        }
        Map<String, String> flat = new TreeMap<>();
        if (root != null) {
            flatten("", root, flat);
        }
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(key + ".", v, out);
            } else if (v.isTextual() || v.isNumber() || v.isBoolean()) {
                out.put(key, v.asText());
            } else {
                throw new IllegalArgumentException("coordinator config '" + key + "' is "
                        + (v.isArray()
                                ? "an array"
                                : "a " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT))
                        + "; every key takes a string, a number or true/false");
            }
        }
    }

    private static IllegalArgumentException syntaxError(String text, String source, JacksonException e) {
        JsonLocation at = e.getLocation();
        String where =
                at == null || at.getLineNr() < 1 ? source : source + ":" + at.getLineNr() + ":" + at.getColumnNr();
        String what = e.getOriginalMessage()
                .lines()
                .findFirst()
                .orElse("invalid TOML")
                .strip();
        String hint = looksLikeProperties(text, source)
                ? "; this looks like an old key = value (properties) config: the coordinator config is TOML now."
                        + " Quote text values (run_id = \"fmnist\", db_user = \"\"), keep numbers and true/false bare,"
                        + " move workload.* keys to workload_settings.* and name the file .toml (docs/deployment.md)"
                : what.startsWith("Path into existing non-object")
                        ? "; a key cannot be both a value and a table (the workload's own settings go in"
                                + " [workload_settings], since 'workload' is its name)"
                        : "";
        return new IllegalArgumentException("coordinator config " + where + ": " + what + " (TOML syntax)" + hint, e);
    }

    /** A {@code .properties} name, or a first key line whose value is bare text. */
    private static boolean looksLikeProperties(String text, String source) {
        if (source.endsWith(".properties")) {
            return true;
        }
        return text.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("["))
                .findFirst()
                .map(l -> LEGACY_LINE.matcher(l).matches())
                .orElse(false);
    }
}
