package dev.atelier.transport.app;

import dev.atelier.core.message.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads typed values from a flat key-value config and remembers every key asked for, so that
 * {@link #rejectUnknown} can refuse keys nobody reads (a typo never silently falls back to a
 * default) and list the known ones. Keys are thus declared once, where they are read. Relative
 * paths resolve against {@code base}. Not thread-safe; one reader per parse.
 */
final class ConfigReader {
    private final Map<String, String> values;
    private final Config typed;
    private final Path base;
    private final Set<String> known = new TreeSet<>();
    private final Set<String> prefixes = new TreeSet<>();

    ConfigReader(Map<String, String> values, Path base) {
        this.values = Map.copyOf(values);
        this.typed = new Config(values);
        this.base = base;
    }

    private String key(String key) {
        known.add(key);
        return key;
    }

    String string(String key, String fallback) {
        return typed.getString(key(key), fallback);
    }

    String required(String key) {
        String v = string(key, "");
        if (v.isEmpty()) {
            throw new IllegalArgumentException("coordinator config needs '" + key + "'");
        }
        return v;
    }

    boolean has(String key) {
        return values.containsKey(key(key));
    }

    int integer(String key, int fallback) {
        return typed.getInt(key(key), fallback);
    }

    /** An integer {@code >= min}. */
    int atLeast(String key, int fallback, int min) {
        int v = integer(key, fallback);
        if (v < min) {
            throw new IllegalArgumentException("'" + key + "' must be at least " + min + ", got " + v);
        }
        return v;
    }

    long longValue(String key, long fallback) {
        return typed.getLong(key(key), fallback);
    }

    double real(String key, double fallback) {
        return typed.getDouble(key(key), fallback);
    }

    boolean bool(String key, boolean fallback) {
        return typed.getBoolean(key(key), fallback);
    }

    /** A finite number in {@code [min, max]}. */
    double between(String key, double fallback, double min, double max) {
        double v = real(key, fallback);
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException("'" + key + "' must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    /** A duration given in (fractional) seconds, {@code > 0}. */
    Duration seconds(String key, double fallback) {
        double s = real(key, fallback);
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("'" + key + "' must be a positive number of seconds, got " + s);
        }
        return Duration.ofMillis(Math.round(s * 1000));
    }

    /** A path, resolved against the config file's folder when relative. */
    Path path(String key, String fallback) {
        return base.resolve(string(key, fallback)).normalize();
    }

    /** {@code HOST:PORT}; port 0 means any free port. */
    CoordinatorConfig.HostPort hostPort(String key, String fallback) {
        return parseHostPort(key, string(key, fallback));
    }

    static CoordinatorConfig.HostPort parseHostPort(String key, String v) {
        int colon = v.lastIndexOf(':');
        if (colon <= 0
                || !v.substring(colon + 1).matches("\\d{1,5}")
                || Integer.parseInt(v.substring(colon + 1)) > 65535) {
            throw new IllegalArgumentException("'" + key + "' must be HOST:PORT, got '" + v + "'");
        }
        return new CoordinatorConfig.HostPort(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
    }

    /** The keys starting with {@code prefix}, without it, as a {@link Config}. */
    Config prefixed(String prefix) {
        prefixes.add(prefix);
        Map<String, String> m = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k.substring(prefix.length()), v);
            }
        });
        return new Config(m);
    }

    /** Refuses keys that were never read and match no prefix. */
    void rejectUnknown() {
        Set<String> unknown = new TreeSet<>();
        for (String k : values.keySet()) {
            if (!known.contains(k) && prefixes.stream().noneMatch(k::startsWith)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown coordinator config key(s) " + unknown + "; known: " + known
                    + (prefixes.isEmpty() ? "" : ", " + String.join("*, ", prefixes) + "*"));
        }
    }
}
