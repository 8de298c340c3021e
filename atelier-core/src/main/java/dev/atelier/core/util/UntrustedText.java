package dev.atelier.core.util;

import java.util.Map;
import java.util.Optional;

/**
 * The one sanitiser for strings a node sends (failure reasons, metric names): what reaches the
 * coordinator's log, {@code metrics.jsonl}, the database and {@code /status} passes through here
 * first, so no sink has to escape anything itself.
 *
 * <p>Limits (documented in {@code docs/security.md}):
 * <ul>
 *   <li>a reason is one line of at most {@link #MAX_REASON_TOTAL} characters: every control character
 *       (C0, DEL, C1 — newlines, carriage returns, ANSI escape {@code ESC}), and the Unicode line
 *       and paragraph separators and bidi overrides, is replaced by its escape ({@code \n},
 *       {@code \r}, {@code \t} or {@code \}{@code uXXXX}, lone surrogates too); an escaped text
 *       longer than that is cut to {@link #MAX_REASON} characters and says how long it was;
 *   <li>a metric name is 1 to {@link #MAX_METRIC_NAME} characters of {@code [A-Za-z0-9_.:-]};
 *       a reply carries at most {@link #MAX_METRICS} metrics, each value finite;
 *   <li>node properties (declared at registration) are kept sanitised: at most
 *       {@link #MAX_PROPERTIES} (the first by key order), keys escaped and cut to
 *       {@link #MAX_PROPERTY_KEY} chars, values to {@link #MAX_PROPERTY_VALUE}.
 * </ul>
 * Stateless and thread-safe.
 */
public final class UntrustedText {
    /** A longer (escaped) reason is cut to this many UTF-16 chars plus a note of the original length. */
    public static final int MAX_REASON = 500;
    /** Longest reason returned: {@link #MAX_REASON} plus room for the note. */
    public static final int MAX_REASON_TOTAL = MAX_REASON + 40;
    /** Longest metric name. */
    public static final int MAX_METRIC_NAME = 64;
    /** Most metrics in one reply. */
    public static final int MAX_METRICS = 64;
    /** Most properties a node may declare at registration; longest property key and value. */
    public static final int MAX_PROPERTIES = 64;

    public static final int MAX_PROPERTY_KEY = 64;
    public static final int MAX_PROPERTY_VALUE = 200;

    private UntrustedText() {}

    /**
     * A one-line, bounded form of {@code text}; null stays null (callers choose their default).
     * Printable text of at most {@link #MAX_REASON_TOTAL} characters is returned unchanged, so
     * sanitising twice (e.g. a reason read back from {@code metrics.jsonl}) changes nothing.
     */
    public static String reason(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_REASON_TOTAL) + 8);
        for (int i = 0; i < text.length() && out.length() <= MAX_REASON_TOTAL; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isHighSurrogate(c)
                            && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i)); // a whole code point outside the BMP
                    } else if (isUnsafe(c) || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (out.length() > MAX_REASON_TOTAL) {
            int keep = Character.isHighSurrogate(out.charAt(MAX_REASON - 1)) ? MAX_REASON - 1 : MAX_REASON;
            out.setLength(keep);
            out.append("… (cut from ").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    /** Control characters and the invisible characters that reorder or break a terminal line. */
    private static boolean isUnsafe(char c) {
        return Character.isISOControl(c)
                || c == '\u2028'
                || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }

    /** True when {@code name} is an acceptable metric name. */
    public static boolean isMetricName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_METRIC_NAME) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '.'
                    || c == ':'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why these node-sent metrics are refused (too many, a bad name, a null or non-finite value), or
     * empty when they are acceptable. The reason quotes the offending name sanitised.
     */
    public static Optional<String> checkMetrics(Map<String, Double> metrics) {
        if (metrics.size() > MAX_METRICS) {
            return Optional.of("reply carries " + metrics.size() + " metrics, at most " + MAX_METRICS + " allowed");
        }
        for (var e : metrics.entrySet()) {
            if (!isMetricName(e.getKey())) {
                return Optional.of("metric name '" + reason(clip(e.getKey())) + "' is not 1-" + MAX_METRIC_NAME
                        + " characters of [A-Za-z0-9_.:-]");
            }
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                return Optional.of("metric '" + e.getKey() + "' is " + e.getValue() + ", not a finite number");
            }
        }
        return Optional.empty();
    }

    /**
     * A sorted, bounded, sanitised copy of node-declared properties (see the class limits); never
     * throws, so a hostile registration cannot break the coordinator, and idempotent.
     */
    public static java.util.SortedMap<String, String> properties(Map<String, String> properties) {
        java.util.TreeMap<String, String> out = new java.util.TreeMap<>();
        for (var e : new java.util.TreeMap<>(properties).entrySet()) {
            if (out.size() == MAX_PROPERTIES) {
                break;
            }
            String key = cut(reason(e.getKey()), MAX_PROPERTY_KEY);
            String value = e.getValue() == null ? "" : cut(reason(e.getValue()), MAX_PROPERTY_VALUE);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    private static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int keep = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, keep);
    }

    private static String clip(String s) {
        return s.length() <= MAX_METRIC_NAME ? s : s.substring(0, MAX_METRIC_NAME) + "…";
    }
}
