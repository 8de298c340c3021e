package dev.atelier.core.run;

import dev.atelier.core.aggregate.WeightedMeanAggregator;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.privacy.AdaptiveClipNorm;
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
 * node sampling of DP rounds, epsilon after every round ({@link DpAccounting}) and, with adaptive
 * clipping, the clip norm of the next round ({@link AdaptiveClipNorm}, updated from the privatised
 * unclipped count of each round that produced one). Not thread-safe (the run's thread).
 */
final class RunPrivacy {
    private final PrivacyOptions options;
    private final DpAccounting accounting;
    private final RandomBits bits;
    private final String mode;
    private AdaptiveClipNorm adaptive; // null = fixed clip norm

    private RunPrivacy(PrivacyOptions options, DpAccounting accounting, RandomBits bits) {
        this.options = options;
        this.accounting = accounting;
        this.bits = bits;
        this.adaptive = accounting == null
                ? null
                : accounting
                        .options()
                        .adaptive()
                        .map(a -> a.start(accounting.options().clipNorm()))
                        .orElse(null);
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

    /** Resume: continue adaptive clipping from the clip norm the last played round chose. */
    void resumeClipNorm(double next) {
        if (adaptive != null) {
            adaptive = new AdaptiveClipNorm(
                    next, adaptive.targetQuantile(), adaptive.learningRate(), adaptive.countNoiseStddev());
        }
    }

    /** Whether the clip norm adapts. */
    boolean adaptiveClip() {
        return adaptive != null;
    }

    /** This round's L2 clip norm {@code C}. */
    double clipNorm() {
        return adaptive != null ? adaptive.clipNorm() : accounting.options().clipNorm();
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
                clipNorm(),
                accounting.appliedMultiplier(),
                accounting.samplingRate() * population,
                adaptive != null ? accounting.countNoiseStddev() : 0);
    }

    CentralDpAggregator centralAggregator(ParamSet global, int population) {
        return new CentralDpAggregator(
                global,
                clipNorm(),
                accounting.appliedMultiplier(),
                Math.max(accounting.samplingRate() * population, 1e-9),
                new GaussianSampler(bits));
    }

    /**
     * What one played round did.
     *
     * @param centredCount adaptive clipping: {@code sum_i (b_i - 1/2)} over the contributors, clean
     *     (central DP: noised here) or already noised ({@code noisy}, SecAgg); null when the round
     *     produced none (aborted, or no adaptive clipping)
     * @param population   available nodes N, for the fixed denominator {@code q N}
     */
    record Played(
            int contributors,
            int dropped,
            String aborted,
            Double snr,
            Double centredCount,
            boolean noisy,
            int population) {
        Played(int contributors, int dropped, String aborted, Double snr) {
            this(contributors, dropped, aborted, snr, null, false, 0);
        }
    }

    /**
     * The round's privacy record; with DP, counts the round in the accountant (the count release
     * is inside the accounted multiplier, {@link DpAccounting}); with adaptive clipping, moves the
     * clip norm for the next round.
     */
    RoundPrivacy record(Played p) {
        Optional<Double> clip = accounting == null ? Optional.empty() : Optional.of(clipNorm());
        if (adaptive != null && p.centredCount() != null) {
            double m = Math.max(accounting.samplingRate() * p.population(), 1e-9);
            adaptive = p.noisy()
                    ? adaptive.nextFromNoisy(p.centredCount(), m)
                    : adaptive.next(p.centredCount(), m, new GaussianSampler(bits));
        }
        Optional<Double> next = adaptive == null ? Optional.empty() : Optional.of(adaptive.clipNorm());
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
                Optional.ofNullable(p.snr()),
                clip,
                next);
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
            dp.adaptive().ifPresent(a -> {
                m.put("dp_adaptive_clip", true);
                m.put("dp_clip_target_quantile", a.targetQuantile());
                m.put("dp_clip_learning_rate", a.learningRate());
                m.put("dp_clip_count_stddev", a.countNoiseStddev());
            });
            m.put("dp_delta", dp.delta());
            m.put("target_epsilon", dp.targetEpsilon() > 0 ? dp.targetEpsilon() : "none");
            m.put("noise_multiplier", accounting.appliedMultiplier());
            m.put("accounted_noise_multiplier", accounting.accountedMultiplier());
            m.put("sampling", "poisson q=" + accounting.samplingRate());
        }
        return m;
    }
}
