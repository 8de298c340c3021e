package dev.atelier.core.filter;

import dev.atelier.core.params.ParamSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Selects which parameters are shared by include/exclude {@link GlobPattern}s over their dotted
 * names, e.g. share only the discriminator and keep normalisation statistics local:
 * <pre>
 *   GlobFilter.of("include disc.**", "exclude **.bn.**")
 * </pre>
 * A name is kept iff it matches at least one include (or no include is given) and no exclude.
 * The filter never rejects a payload, it only drops names; {@link #dropped} lists what it would
 * drop, for reports and audits. Invalid patterns fail at construction. Immutable and thread-safe.
 */
public final class GlobFilter implements PayloadFilter {
    private final List<GlobPattern> includes;
    private final List<GlobPattern> excludes;

    /**
     * @param includes globs of names to keep; empty keeps every name not excluded
     * @param excludes globs of names to drop, applied after the includes
     */
    public GlobFilter(List<String> includes, List<String> excludes) {
        this.includes = includes.stream().map(GlobPattern::compile).toList();
        this.excludes = excludes.stream().map(GlobPattern::compile).toList();
    }

    /**
     * Parses rules of the form {@code "include <glob>"} or {@code "exclude <glob>"} (keyword case
     * insensitive, any whitespace between). Order does not matter.
     *
     * @throws IllegalArgumentException naming the first malformed rule
     */
    public static GlobFilter of(String... rules) {
        return of(List.of(rules));
    }

    /** See {@link #of(String...)}. */
    public static GlobFilter of(Collection<String> rules) {
        List<String> in = new ArrayList<>();
        List<String> ex = new ArrayList<>();
        for (String rule : rules) {
            String[] words = Objects.requireNonNull(rule, "rule").trim().split("\\s+");
            if (words.length != 2) {
                throw new IllegalArgumentException(
                        "filter rule '" + rule + "' must be 'include <glob>' or 'exclude <glob>'");
            }
            switch (words[0].toLowerCase(Locale.ROOT)) {
                case "include" -> in.add(words[1]);
                case "exclude" -> ex.add(words[1]);
                default ->
                    throw new IllegalArgumentException("filter rule '" + rule
                            + "' must start with 'include' or 'exclude', got '" + words[0] + "'");
            }
        }
        return new GlobFilter(in, ex);
    }

    /** Keeps only names matching one of {@code globs}. */
    public static GlobFilter include(String... globs) {
        return new GlobFilter(List.of(globs), List.of());
    }

    /** Keeps every name except those matching one of {@code globs}. */
    public static GlobFilter exclude(String... globs) {
        return new GlobFilter(List.of(), List.of(globs));
    }

    /** True when {@code name} passes the filter. */
    public boolean keeps(String name) {
        boolean included = includes.isEmpty() || includes.stream().anyMatch(g -> g.matches(name));
        return included && excludes.stream().noneMatch(g -> g.matches(name));
    }

    /** The names of {@code names} this filter would drop, in their order. */
    public List<String> dropped(Collection<String> names) {
        return names.stream().filter(n -> !keeps(n)).toList();
    }

    /** The names of {@code params} this filter would drop, in parameter order. */
    public List<String> dropped(ParamSet params) {
        return dropped(params.names());
    }

    @Override
    public ParamSet process(ParamSet params) {
        return params.select(this::keeps);
    }

    /** The rules in {@link #of(String...)} syntax, includes first. */
    public List<String> rules() {
        List<String> out = new ArrayList<>();
        includes.forEach(g -> out.add("include " + g));
        excludes.forEach(g -> out.add("exclude " + g));
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "GlobFilter" + rules();
    }
}
