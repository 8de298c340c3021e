package dev.atelier.core.message;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Immutable string-to-scalar settings sent with an instruction (learning rate, local steps...).
 * Values travel as strings so every transport carries them unchanged; typed getters parse them and
 * fail with the key name when a value is malformed. Keys are declared as constants by the workload
 * that reads them, never spelled ad hoc at call sites.
 */
public record Config(Map<String, String> values) {
    public Config {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public static Config empty() {
        return new Config(Map.of());
    }

    public static Config of(Map<String, ?> values) {
        TreeMap<String, String> m = new TreeMap<>();
        values.forEach((k, v) -> m.put(k, String.valueOf(v)));
        return new Config(m);
    }

    /** A copy with {@code key} set; the receiver is unchanged. */
    public Config with(String key, Object value) {
        TreeMap<String, String> m = new TreeMap<>(values);
        m.put(key, String.valueOf(value));
        return new Config(m);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String getString(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    public int getInt(String key, int fallback) {
        return parsed(key, fallback, Integer::parseInt, "an integer");
    }

    public long getLong(String key, long fallback) {
        return parsed(key, fallback, Long::parseLong, "an integer");
    }

    public double getDouble(String key, double fallback) {
        return parsed(key, fallback, Double::parseDouble, "a number");
    }

    /** {@code parse(value)} of a present key, else {@code fallback}; a malformed value names the key and {@code what}. */
    private <T> T parsed(String key, T fallback, Function<String, T> parse, String what) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return parse.apply(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("config '" + key + "' must be " + what + ", got '" + v + "'");
        }
    }

    public boolean getBoolean(String key, boolean fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default ->
                throw new IllegalArgumentException("config '" + key + "' must be true or false, got '" + v + "'");
        };
    }
}
