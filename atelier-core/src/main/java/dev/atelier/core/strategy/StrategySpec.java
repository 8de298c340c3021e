package dev.atelier.core.strategy;

import dev.atelier.core.message.Config;
import java.util.List;

/**
 * A strategy chosen by name with typed parameters, e.g. {@code new StrategySpec.KrumSpec(2)} or,
 * parsed by {@link StrategyRegistry#parse}, {@code krum:f=2}. One record per strategy; each
 * declares its parameters once ({@link #params()}) and checks its values at construction, so a
 * spec that exists is in range. Settings that depend on the sampling (Krum's
 * {@code minReplies > 2f + 2}) are checked by {@link #create}. Immutable.
 */
public sealed interface StrategySpec {
    /** The registry name, e.g. {@code krum}. */
    String name();

    /** The parameters this strategy accepts, in spec order. */
    List<StrategyParam> params();

    /** This spec's parameter values, index-aligned with {@link #params()}. */
    List<Double> values();

    /** Builds the strategy; errors from the strategy's own validation are left to {@link #create}. */
    Strategy build(Sampling sampling, Config trainConfig);

    /**
     * A new strategy for this spec.
     *
     * @throws IllegalArgumentException naming the spec when the strategy refuses the sampling or
     *                                  train config (e.g. Krum with too few replies per round)
     */
    default Strategy create(Sampling sampling, Config trainConfig) {
        try {
            return build(sampling, trainConfig);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("strategy " + text() + ": " + e.getMessage(), e);
        }
    }

    /** Canonical spec text that {@link StrategyRegistry#parse} turns back into an equal spec. */
    default String text() {
        StringBuilder s = new StringBuilder(name());
        List<StrategyParam> ps = params();
        List<Double> vs = values();
        for (int i = 0; i < ps.size(); i++) {
            s.append(i == 0 ? ':' : ',').append(ps.get(i).name()).append('=').append(StrategyParam.format(vs.get(i)));
        }
        return s.toString();
    }

    /** A strategy from a {@link StrategyProvider} outside atelier-core, with its parameter values. */
    record ProvidedSpec(StrategyProvider provider, List<Double> values) implements StrategySpec {
        public ProvidedSpec {
            java.util.Objects.requireNonNull(provider, "provider");
            values = List.copyOf(values);
            List<StrategyParam> ps = provider.params();
            if (values.size() != ps.size()) {
                throw new IllegalArgumentException(
                        provider.name() + " takes " + ps.size() + " parameters, got " + values.size());
            }
            for (int i = 0; i < ps.size(); i++) {
                if (!ps.get(i).accepts(values.get(i))) {
                    throw new IllegalArgumentException(provider.name() + ": "
                            + ps.get(i).name() + " must be " + ps.get(i).range() + ", got " + values.get(i));
                }
            }
        }

        @Override
        public String name() {
            return provider.name();
        }

        @Override
        public List<StrategyParam> params() {
            return provider.params();
        }

        @Override
        public Strategy build(Sampling sampling, Config trainConfig) {
            return provider.create(values, sampling, trainConfig);
        }

        /** Equal specs name the same provider (class and name; every lookup makes a new instance) and values. */
        @Override
        public boolean equals(Object o) {
            return o instanceof ProvidedSpec p
                    && p.provider.getClass() == provider.getClass()
                    && p.provider.name().equals(provider.name())
                    && p.values.equals(values);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * provider.getClass().hashCode() + provider.name().hashCode()) + values.hashCode();
        }
    }

    /** A strategy that takes no parameters: its spec text is its name. */
    sealed interface Parameterless extends StrategySpec {
        @Override
        default List<StrategyParam> params() {
            return List.of();
        }

        @Override
        default List<Double> values() {
            return List.of();
        }
    }

    /** {@link FedAvg}: example-weighted mean, streamed in O(model). */
    record FedAvgSpec() implements Parameterless {
        @Override
        public String name() {
            return "fedavg";
        }

        @Override
        public Strategy build(Sampling sampling, Config trainConfig) {
            return new FedAvg(sampling, trainConfig);
        }
    }

    /** {@link FedProx} with proximal coefficient {@code mu}. */
    record FedProxSpec(double mu) implements StrategySpec {
        public static final StrategyParam MU = StrategyParam.real("mu", 0.01, 0, true, Double.POSITIVE_INFINITY, false);

        public FedProxSpec {
            MU.check("fedprox", mu);
        }

        @Override
        public String name() {
            return "fedprox";
        }

        @Override
        public List<StrategyParam> params() {
            return List.of(MU);
        }

        @Override
        public List<Double> values() {
            return List.of(mu);
        }

        @Override
        public Strategy build(Sampling sampling, Config trainConfig) {
            return new FedProx(sampling, trainConfig, mu);
        }
    }

    /** {@link FedAdam} ({@code adam = true}) or {@link FedYogi} with server optimizer settings. */
    record FedOptSpec(boolean adam, FedOptSettings settings) implements StrategySpec {
        public FedOptSpec {
            java.util.Objects.requireNonNull(settings, "settings");
        }

        /** The parameters with Flower's defaults for FedAdam or FedYogi. */
        public static List<StrategyParam> params(boolean adam) {
            FedOptSettings d = adam ? FedOptSettings.adamDefaults() : FedOptSettings.yogiDefaults();
            double inf = Double.POSITIVE_INFINITY;
            return List.of(
                    StrategyParam.real("eta", d.eta(), 0, false, inf, false),
                    StrategyParam.real("beta1", d.beta1(), 0, true, 1, false),
                    StrategyParam.real("beta2", d.beta2(), 0, true, 1, false),
                    StrategyParam.real("tau", d.tau(), 0, false, inf, false));
        }

        @Override
        public String name() {
            return adam ? "fedadam" : "fedyogi";
        }

        @Override
        public List<StrategyParam> params() {
            return params(adam);
        }

        @Override
        public List<Double> values() {
            return List.of(settings.eta(), settings.beta1(), settings.beta2(), settings.tau());
        }

        @Override
        public Strategy build(Sampling sampling, Config trainConfig) {
            return adam ? new FedAdam(sampling, trainConfig, settings) : new FedYogi(sampling, trainConfig, settings);
        }
    }

    /** {@link FedMedian}: coordinate-wise median; holds every reply. */
    record FedMedianSpec() implements Parameterless {
        @Override
        public String name() {
            return "fedmedian";
        }

        @Override
        public Strategy build(Sampling sampling, Config trainConfig) {
            return new FedMedian(sampling, trainConfig);
        }
    }

    /** {@link TrimmedMean} trimming a fraction {@code beta} per side; holds every reply. */
    record TrimmedMeanSpec(double beta) implements StrategySpec {
        public static final StrategyParam BETA = StrategyParam.real("beta", 0.1, 0, true, 0.5, false);

        public TrimmedMeanSpec {
            BETA.check("trimmedmean", beta);
        }

        @Override
        public String name() {
            return "trimmedmean";
        }

        @Override
        public List<StrategyParam> params() {
            return List.of(BETA);
        }

        @Override
        public List<Double> values() {
            return List.of(beta);
        }

        @Override
        public Strategy build(Sampling sampling, Config trainConfig) {
            return new TrimmedMean(sampling, trainConfig, beta);
        }
    }

    /** {@link Krum}: the single reply closest to its neighbours, tolerating {@code f} Byzantine ones. */
    record KrumSpec(int byzantine) implements StrategySpec {
        public static final StrategyParam F = StrategyParam.count("f", 1, 0);

        public KrumSpec {
            F.check("krum", byzantine);
        }

        @Override
        public String name() {
            return "krum";
        }

        @Override
        public List<StrategyParam> params() {
            return List.of(F);
        }

        @Override
        public List<Double> values() {
            return List.of((double) byzantine);
        }

        @Override
        public Strategy build(Sampling sampling, Config trainConfig) {
            return new Krum(sampling, trainConfig, byzantine);
        }
    }

    /** {@link MultiKrum}: the mean of the {@code m} best replies, tolerating {@code f} Byzantine ones. */
    record MultiKrumSpec(int byzantine, int selected) implements StrategySpec {
        public static final StrategyParam M = StrategyParam.count("m", Double.NaN, 1);

        public MultiKrumSpec {
            KrumSpec.F.check("multikrum", byzantine);
            M.check("multikrum", selected);
        }

        @Override
        public String name() {
            return "multikrum";
        }

        @Override
        public List<StrategyParam> params() {
            return List.of(KrumSpec.F, M);
        }

        @Override
        public List<Double> values() {
            return List.of((double) byzantine, (double) selected);
        }

        @Override
        public Strategy build(Sampling sampling, Config trainConfig) {
            return new MultiKrum(sampling, trainConfig, byzantine, selected);
        }
    }
}
