package dev.atelier.core.run;

import dev.atelier.core.aggregate.WeightedMeanAggregator;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.privacy.CentralDpAggregator;
import dev.atelier.core.privacy.DpAccounting;
import dev.atelier.core.privacy.GaussianSampler;
import dev.atelier.core.privacy.ModelDelta;
import dev.atelier.core.privacy.PoissonSampling;
import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.core.privacy.PrivacySpent;
import dev.atelier.core.privacy.RandomBits;
import dev.atelier.core.strategy.Strategy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's privacy plan, checked once when the run is built: which strategy it may drive, the noise
 * multiplier (from {@code target_epsilon} by {@code NoiseCalibration}, or as given), the Poisson
 * node sampling of DP rounds, and epsilon after every round ({@link DpAccounting}). Not thread-safe
 * (the run's thread).
 */
final class RunPrivacy {
    private final PrivacyOptions options;
    private final DpAccounting accounting;
    private final RandomBits bits;
    private final String mode;

    private RunPrivacy(PrivacyOptions options, DpAccounting accounting, RandomBits bits) {
        this.options = options;
        this.accounting = accounting;
        this.bits = bits;
        this.mode = options.secAgg().isPresent() ? (accounting != null ? "secagg+dp" : "secagg") : "central-dp";
    }

    /**
     * @throws IllegalArgumentException when the strategy needs individual updates or does not
     *     average, or the model has integer tensors
     */
    static RunPrivacy plan(PrivacyOptions o, Strategy strategy, int rounds, ParamSet global, RandomBits bits) {
        String what = o.secAgg().isPresent() ? "secure aggregation" : "DP-FedAvg";
        if (strategy.holdsEveryReply()) {
            throw new IllegalArgumentException("strategy " + strategy.name() + " needs every node's individual update"
                    + " (robust aggregation), which " + what + " does not give the coordinator: use fedavg, fedprox,"
                    + " fedadam, fedyogi or fedopt with " + what);
        }
        if (!(strategy.newAggregator(1) instanceof WeightedMeanAggregator)) {
            throw new IllegalArgumentException("strategy " + strategy.name() + " does not aggregate by a weighted mean,"
                    + " the only aggregate " + what + " computes");
        }
        try {
            ModelDelta.over(global, new float[Math.toIntExact(global.numElements())]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        DpAccounting acc = null;
        if (o.dp().isPresent()) {
            double inflation = 1;
            if (o.secAgg().isPresent()) {
                // stochastic rounding moves each coordinate by < 1 step: sensitivity C/step + sqrt(d) in steps
                double half = o.secAgg().get().quantizationRange() / 2.0;
                inflation = (half + Math.sqrt(global.numElements())) / half;
            }
            acc = DpAccounting.plan(o.dp().get(), strategy.sampling().fraction(), rounds, inflation);
        }
        return new RunPrivacy(o, acc, bits == null ? RandomBits.secure() : bits);
    }

    void alreadyPlayed(int rounds) {
        if (accounting != null && rounds > 0) {
            accounting.alreadyPlayed(rounds);
        }
    }

    /** DP rounds: every available node joins with probability q (Poisson); otherwise all of them. */
    List<NodeInfo> sample(List<NodeInfo> available) {
        if (accounting == null) {
            return available;
        }
        List<NodeInfo> sorted = new ArrayList<>(available);
        sorted.sort(Comparator.comparing(NodeInfo::nodeId));
        return PoissonSampling.sample(sorted, accounting.samplingRate(), bits);
    }

    /** SecAgg settings; null when off. */
    PrivacyOptions.SecAgg secAgg() {
        return options.secAgg().orElse(null);
    }

    /** DP accounting; null when off. */
    DpAccounting dp() {
        return accounting;
    }

    RandomBits bits() {
        return bits;
    }

    /** DP settings of a SecAgg round over a population of {@code population} nodes; null without DP. */
    SecAggRound.Dp secAggDp(int population) {
        if (accounting == null) {
            return null;
        }
        return new SecAggRound.Dp(
                accounting.options().clipNorm(),
                accounting.appliedMultiplier(),
                accounting.samplingRate() * population);
    }

    CentralDpAggregator centralAggregator(ParamSet global, int population) {
        return new CentralDpAggregator(
                global,
                accounting.options().clipNorm(),
                accounting.appliedMultiplier(),
                Math.max(accounting.samplingRate() * population, 1e-9),
                new GaussianSampler(bits));
    }

    /** What one played round did. */
    record Played(int contributors, int dropped, String aborted, Double snr) {}

    /** The round's privacy record; with DP, counts the round in the accountant. */
    RoundPrivacy record(Played p) {
        Optional<Double> eps = Optional.empty();
        Optional<Double> delta = Optional.empty();
        Optional<Double> sigma = Optional.empty();
        if (accounting != null) {
            PrivacySpent spent = accounting.step();
            eps = Optional.of(spent.epsilon());
            delta = Optional.of(spent.delta());
            sigma = Optional.of(accounting.appliedMultiplier());
        }
        return new RoundPrivacy(
                mode,
                p.contributors(),
                p.dropped(),
                Optional.ofNullable(p.aborted()),
                eps,
                delta,
                sigma,
                Optional.ofNullable(p.snr()));
    }

    /** For run.json. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        options.secAgg().ifPresent(s -> {
            m.put("secagg_num_shares", s.numShares() == Integer.MAX_VALUE ? "all" : s.numShares());
            m.put("secagg_threshold", s.threshold() == 0 ? "majority" : s.threshold());
            m.put("secagg_quantization_range", s.quantizationRange());
            m.put("secagg_clip_range", s.clipRange());
        });
        if (accounting != null) {
            var dp = accounting.options();
            m.put("dp_clip_norm", dp.clipNorm());
            m.put("dp_delta", dp.delta());
            m.put("target_epsilon", dp.targetEpsilon() > 0 ? dp.targetEpsilon() : "none");
            m.put("noise_multiplier", accounting.appliedMultiplier());
            m.put("accounted_noise_multiplier", accounting.accountedMultiplier());
            m.put("sampling", "poisson q=" + accounting.samplingRate());
        }
        return m;
    }
}
