package dev.atelier.core.filter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A glob over dotted hierarchical names ({@code disc.block1.conv.weight}), matched segment by
 * segment:
 * <ul>
 *   <li>a literal segment matches itself;</li>
 *   <li>{@code *} inside a segment matches any run of characters within that one segment
 *       ({@code block*} matches {@code block1}, never {@code block1.conv});</li>
 *   <li>a segment that is exactly {@code **} matches any number of whole segments, including
 *       zero ({@code disc.**} matches {@code disc} and {@code disc.a.b}; {@code **.bn.**} matches
 *       every name with a {@code bn} segment).</li>
 * </ul>
 * Rejected at construction: blank patterns, empty segments ({@code a..b}, leading or trailing
 * dot), whitespace, {@code **} mixed with other characters in a segment, and the glob characters
 * this syntax does not support ({@code ? [ ] { } !}). Immutable and thread-safe; matching costs
 * O(pattern segments × name segments).
 */
public final class GlobPattern {
    private static final String UNSUPPORTED = "?[]{}!";
    private final String text;
    private final List<Pattern> segments; // null entry = "**"

    private GlobPattern(String text, List<Pattern> segments) {
        this.text = text;
        this.segments = segments;
    }

    /** Parses and validates {@code glob}; fails with a message naming the problem. */
    public static GlobPattern compile(String glob) {
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException("glob pattern must not be blank");
        }
        String[] parts = glob.split("\\.", -1);
        ArrayList<Pattern> segs = new ArrayList<>(parts.length);
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException(
                        "glob '" + glob + "' has an empty segment (doubled, leading or trailing '.')");
            }
            for (char c : part.toCharArray()) {
                if (Character.isWhitespace(c)) {
                    throw new IllegalArgumentException("glob '" + glob + "' contains whitespace");
                }
                if (UNSUPPORTED.indexOf(c) >= 0) {
                    throw new IllegalArgumentException("glob '" + glob + "' uses '" + c
                            + "', which is not supported (only * within a segment and ** as a whole segment)");
                }
            }
            if (part.equals("**")) {
                segs.add(null);
            } else if (part.contains("**")) {
                throw new IllegalArgumentException(
                        "glob '" + glob + "': '**' must be a whole segment, got '" + part + "'");
            } else {
                segs.add(segmentRegex(part));
            }
        }
        return new GlobPattern(glob, Collections.unmodifiableList(segs));
    }

    private static Pattern segmentRegex(String segment) {
        StringBuilder re = new StringBuilder();
        int start = 0;
        for (int i = segment.indexOf('*'); i >= 0; i = segment.indexOf('*', start)) {
            re.append(Pattern.quote(segment.substring(start, i))).append(".*");
            start = i + 1;
        }
        re.append(Pattern.quote(segment.substring(start)));
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /** True when the whole dotted {@code name} matches. */
    public boolean matches(String name) {
        String[] parts = name.split("\\.", -1);
        int p = segments.size();
        int n = parts.length;
        // can[i][j]: pattern suffix from segment i matches name suffix from segment j.
        boolean[][] can = new boolean[p + 1][n + 1];
        can[p][n] = true;
        for (int i = p - 1; i >= 0; i--) {
            Pattern seg = segments.get(i);
            for (int j = n; j >= 0; j--) {
                if (seg == null) {
                    can[i][j] = can[i + 1][j] || (j < n && can[i][j + 1]);
                } else {
                    can[i][j] =
                            j < n && can[i + 1][j + 1] && seg.matcher(parts[j]).matches();
                }
            }
        }
        return can[0][0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GlobPattern g && g.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The pattern as written. */
    @Override
    public String toString() {
        return text;
    }
}
