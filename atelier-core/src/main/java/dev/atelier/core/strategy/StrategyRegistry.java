package dev.atelier.core.strategy;

import dev.atelier.core.message.Config;
import dev.atelier.core.strategy.StrategySpec.FedAvgSpec;
import dev.atelier.core.strategy.StrategySpec.FedMedianSpec;
import dev.atelier.core.strategy.StrategySpec.FedOptSpec;
import dev.atelier.core.strategy.StrategySpec.FedProxSpec;
import dev.atelier.core.strategy.StrategySpec.KrumSpec;
import dev.atelier.core.strategy.StrategySpec.MultiKrumSpec;
import dev.atelier.core.strategy.StrategySpec.TrimmedMeanSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every strategy by name: parses spec text such as {@code fedavg}, {@code fedprox:mu=0.01},
 * {@code trimmedmean:beta=0.2}, {@code krum:f=2}, {@code multikrum:f=1,m=3} or
 * {@code fedadam:eta=0.05,tau=1e-3} into a typed {@link StrategySpec}. The one place the CLI
 * ({@code atelier simulate --strategy}), the coordinator config ({@code strategy = ...}) and the
 * demo turn a name into a strategy.
 *
 * <p>Grammar: {@code NAME[:KEY=VALUE[,KEY=VALUE]...]}, case-insensitive name and keys, whitespace around
 * tokens ignored; omitted parameters take their defaults. An unknown name, an unknown or repeated
 * parameter, a malformed or out-of-range value and a missing required parameter are refused with
 * an {@link IllegalArgumentException} of one line that lists what is accepted. Stateless and
 * thread-safe.
 */
public final class StrategyRegistry {
    private record Entry(List<StrategyParam> params, Function<double[], StrategySpec> spec) {}

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        ENTRIES.put("fedavg", new Entry(List.of(), v -> new FedAvgSpec()));
        ENTRIES.put("fedprox", new Entry(List.of(FedProxSpec.MU), v -> new FedProxSpec(v[0])));
        ENTRIES.put("fedadam", new Entry(FedOptSpec.params(true), v -> fedOpt(true, v)));
        ENTRIES.put("fedyogi", new Entry(FedOptSpec.params(false), v -> fedOpt(false, v)));
        ENTRIES.put("fedmedian", new Entry(List.of(), v -> new FedMedianSpec()));
        ENTRIES.put("trimmedmean", new Entry(List.of(TrimmedMeanSpec.BETA), v -> new TrimmedMeanSpec(v[0])));
        ENTRIES.put("krum", new Entry(List.of(KrumSpec.F), v -> new KrumSpec((int) v[0])));
        ENTRIES.put(
                "multikrum",
                new Entry(List.of(KrumSpec.F, MultiKrumSpec.M), v -> new MultiKrumSpec((int) v[0], (int) v[1])));
    }

    private StrategyRegistry() {}

    /**
     * The built-in entries followed by every {@link StrategyProvider} on the class path (sorted by
     * name); a provider reusing a built-in name is refused.
     */
    private static Map<String, Entry> entries() {
        Map<String, Entry> all = new LinkedHashMap<>(ENTRIES);
        java.util.TreeMap<String, StrategyProvider> found = new java.util.TreeMap<>();
        java.util.ServiceLoader.load(StrategyProvider.class).forEach(p -> found.put(p.name(), p));
        for (StrategyProvider p : found.values()) {
            if (all.containsKey(p.name())) {
                throw new IllegalStateException(
                        "strategy provider " + p.getClass().getName() + " reuses the built-in name '" + p.name() + "'");
            }
            all.put(p.name(), new Entry(p.params(), v -> new StrategySpec.ProvidedSpec(p, toList(v))));
        }
        return all;
    }

    private static List<Double> toList(double[] v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }

    /** The registered names, in documentation order (built-ins, then providers by name). */
    public static List<String> names() {
        return List.copyOf(entries().keySet());
    }

    /**
     * What is accepted, on one line: {@code fedavg | fedprox[:mu=0.01] | ... | multikrum:f=1,m=M}
     * (defaults shown; a required parameter as its upper-case name).
     */
    public static String accepted() {
        return entries().entrySet().stream()
                .map(e -> usage(e.getKey(), e.getValue()))
                .collect(Collectors.joining(" | "));
    }

    /** Parses spec text (grammar in the class doc). */
    public static StrategySpec parse(String text) {
        String spec = text == null ? "" : text.strip();
        int colon = spec.indexOf(':');
        String name = (colon < 0 ? spec : spec.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        Entry entry = entries().get(name);
        if (entry == null) {
            throw new IllegalArgumentException("unknown strategy '" + spec + "'; accepted: " + accepted());
        }
        Map<String, String> given = colon < 0 ? Map.of() : assignments(spec, name, entry, spec.substring(colon + 1));
        double[] values = new double[entry.params().size()];
        for (int i = 0; i < values.length; i++) {
            StrategyParam p = entry.params().get(i);
            String raw = given.get(p.name());
            if (raw == null) {
                if (p.required()) {
                    throw refused(spec, name, entry, "needs " + p.name());
                }
                values[i] = p.fallback();
                continue;
            }
            Double v = p.parse(raw);
            if (v == null || !p.accepts(v)) {
                throw refused(spec, name, entry, p.name() + " must be " + p.range() + ", got '" + raw + "'");
            }
            values[i] = v;
        }
        return entry.spec().apply(values);
    }

    /** Shorthand for {@code parse(text).create(sampling, trainConfig)}. */
    public static Strategy create(String text, Sampling sampling, Config trainConfig) {
        return parse(text).create(sampling, trainConfig);
    }

    private static Map<String, String> assignments(String spec, String name, Entry entry, String list) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String part : list.split(",", -1)) {
            int eq = part.indexOf('=');
            String key = (eq < 0 ? part : part.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            if (eq < 0 || key.isEmpty()) {
                throw refused(spec, name, entry, "'" + part.strip() + "' is not KEY=VALUE");
            }
            if (entry.params().stream().noneMatch(p -> p.name().equals(key))) {
                throw refused(spec, name, entry, "has no parameter '" + key + "'");
            }
            if (given.put(key, part.substring(eq + 1).strip()) != null) {
                throw refused(spec, name, entry, "'" + key + "' is given twice");
            }
        }
        return given;
    }

    private static IllegalArgumentException refused(String spec, String name, Entry entry, String why) {
        String accepts = entry.params().isEmpty()
                ? name + " takes no parameters"
                : name + " accepts "
                        + entry.params().stream().map(StrategyParam::describe).collect(Collectors.joining(", "));
        return new IllegalArgumentException("strategy '" + spec + "': " + why + "; " + accepts);
    }

    private static String usage(String name, Entry entry) {
        if (entry.params().isEmpty()) {
            return name;
        }
        boolean anyRequired = entry.params().stream().anyMatch(StrategyParam::required);
        String list = entry.params().stream()
                .map(p -> p.name() + "="
                        + (p.required() ? p.name().toUpperCase(Locale.ROOT) : StrategyParam.format(p.fallback())))
                .collect(Collectors.joining(","));
        return anyRequired ? name + ":" + list : name + "[:" + list + "]";
    }

    private static StrategySpec fedOpt(boolean adam, double[] v) {
        return new FedOptSpec(adam, new FedOptSettings(v[0], v[1], v[2], v[3]));
    }
}
