package dev.atelier.sketch.demo;

import dev.atelier.sketch.fed.Regime;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What the demo compares, in display order: the three federation {@link Regime}s and the edge
 * student distilled from the federated teacher. {@link #key()} names it in report.json, in file
 * names ({@link DemoLayout}) and on the command line.
 */
public enum DemoRegime {
    LOCAL_ONLY(Regime.LOCAL_ONLY),
    FEDERATED(Regime.FEDERATED),
    CENTRALIZED(Regime.CENTRALIZED),
    /** The depthwise-separable student distilled from each designer's federated teacher. */
    STUDENT(null);

    private final Regime federation;

    DemoRegime(Regime federation) {
        this.federation = federation;
    }

    /** {@code local_only}, {@code federated}, {@code centralized} or {@code student}. */
    public String key() {
        return federation != null ? federation.key() : "student";
    }

    /** The federation regime that trains it, or null for the student (distilled, not federated). */
    public Regime federation() {
        return federation;
    }

    /** The demo regime of a federation regime. */
    public static DemoRegime of(Regime regime) {
        return Arrays.stream(values())
                .filter(r -> r.federation == regime)
                .findFirst()
                .orElseThrow();
    }

    /** An unmodifiable copy iterating in display order (null values are refused). */
    static <V> Map<DemoRegime, V> copy(Map<DemoRegime, V> m) {
        EnumMap<DemoRegime, V> c = new EnumMap<>(DemoRegime.class);
        m.forEach((k, v) -> c.put(Objects.requireNonNull(k, "regime"), Objects.requireNonNull(v, k.key())));
        return Collections.unmodifiableMap(c);
    }

    /** Parses a {@link #key()}; the error lists the valid keys. */
    public static DemoRegime ofKey(String key) {
        return Arrays.stream(values())
                .filter(r -> r.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown regime '" + key + "'; one of "
                        + Arrays.stream(values()).map(DemoRegime::key).collect(Collectors.joining(", "))));
    }
}
