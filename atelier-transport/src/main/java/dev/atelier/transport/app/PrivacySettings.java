package dev.atelier.transport.app;

import dev.atelier.core.privacy.PrivacyOptions;
import java.util.Optional;

/**
 * The coordinator's privacy keys (docs/privacy.md), read through {@link ConfigReader} like every
 * other group, turned into the run's {@link PrivacyOptions}:
 *
 * <pre>
 * secagg = true                     # SecAgg+ (default false)
 * secagg_num_shares = 7             # share holders per node incl. itself, odd >= 3 (default: all)
 * secagg_threshold = 4              # shares to rebuild a secret (default: a majority)
 * secagg_clip_range = 8.0           # quantiser range of a weighted update coordinate (no DP)
 * secagg_quantization_range = 4194304
 * dp_clip_norm = 0.5                # DP-FedAvg on: L2 clip of one node's update (default off)
 * dp_noise_multiplier = 1.1         # z, or:
 * target_epsilon = 8                # pick z so the planned rounds spend at most this
 * dp_delta = 1e-5
 * dp_adaptive_clip = true           # adaptive clipping (Andrew et al. 2019); dp_clip_norm is the first C
 * dp_clip_target_quantile = 0.5     # gamma: C follows this quantile of the update norms
 * dp_clip_learning_rate = 0.2       # eta: C <- C exp(-eta (b - gamma)) per round
 * dp_clip_count_stddev = 1.5        # sigma_b of the noise on the unclipped count (required; > z / 2)
 * </pre>
 *
 * DP without SecAgg is central DP (the coordinator clips and noises); with SecAgg the nodes add
 * discrete noise shares under the masks. Immutable.
 */
public record PrivacySettings(PrivacyOptions options) {
    public PrivacySettings {
        java.util.Objects.requireNonNull(options, "options");
    }

    static PrivacySettings read(ConfigReader r) {
        Optional<PrivacyOptions.SecAgg> secAgg = Optional.empty();
        boolean on = r.bool("secagg", false);
        int shares = r.integer("secagg_num_shares", Integer.MAX_VALUE);
        int threshold = r.integer("secagg_threshold", 0);
        double clipRange = r.real("secagg_clip_range", PrivacyOptions.DEFAULT_CLIP_RANGE);
        long levels = r.longValue("secagg_quantization_range", PrivacyOptions.DEFAULT_QUANTIZATION_RANGE);
        if (!on) {
            for (String k : new String[] {
                "secagg_num_shares", "secagg_threshold", "secagg_clip_range", "secagg_quantization_range"
            }) {
                if (r.has(k)) {
                    throw new IllegalArgumentException("'" + k + "' needs 'secagg = true'");
                }
            }
        }
        if (on) {
            secAgg = Optional.of(wrap("secagg", () -> new PrivacyOptions.SecAgg(shares, threshold, clipRange, levels)));
        }
        Optional<PrivacyOptions.Dp> dp = Optional.empty();
        double clip = r.real("dp_clip_norm", 0);
        double z = r.real("dp_noise_multiplier", 0);
        double target = r.real("target_epsilon", 0);
        double delta = r.real("dp_delta", 1e-5);
        Optional<PrivacyOptions.AdaptiveClip> adaptive = readAdaptive(r);
        if (clip > 0) {
            dp = Optional.of(wrap("dp_*", () -> new PrivacyOptions.Dp(clip, z, target, delta, adaptive)));
        } else if (z > 0 || target > 0 || adaptive.isPresent()) {
            throw new IllegalArgumentException(
                    "'dp_noise_multiplier', 'target_epsilon' and 'dp_adaptive_clip' need 'dp_clip_norm' > 0");
        }
        return new PrivacySettings(new PrivacyOptions(secAgg, dp));
    }

    private static final String[] ADAPTIVE_KEYS = {
        "dp_clip_target_quantile", "dp_clip_learning_rate", "dp_clip_count_stddev"
    };

    private static Optional<PrivacyOptions.AdaptiveClip> readAdaptive(ConfigReader r) {
        boolean on = r.bool("dp_adaptive_clip", false);
        double gamma = r.real("dp_clip_target_quantile", 0.5);
        double eta = r.real("dp_clip_learning_rate", 0.2);
        double sigmaB = r.real("dp_clip_count_stddev", 0);
        if (!on) {
            for (String k : ADAPTIVE_KEYS) {
                if (r.has(k)) {
                    throw new IllegalArgumentException("'" + k + "' needs 'dp_adaptive_clip = true'");
                }
            }
            return Optional.empty();
        }
        if (!r.has("dp_clip_count_stddev")) {
            throw new IllegalArgumentException("'dp_adaptive_clip = true' needs 'dp_clip_count_stddev' (the noise on"
                    + " the unclipped count; Andrew et al. use expected contributors / 20, and it must exceed z / 2)");
        }
        return Optional.of(wrap("dp_clip_*", () -> new PrivacyOptions.AdaptiveClip(gamma, eta, sigmaB)));
    }

    /**
     * Refuses a strategy that cannot run with these settings: robust strategies need every
     * individual update, which secure aggregation hides and DP-FedAvg replaces by a noisy sum.
     */
    void checkStrategy(dev.atelier.core.strategy.StrategySpec spec, dev.atelier.core.strategy.Sampling sampling) {
        if (!options.any()) {
            return;
        }
        var strategy = spec.create(sampling, dev.atelier.core.message.Config.empty());
        if (strategy.holdsEveryReply()) {
            throw new IllegalArgumentException("'strategy = " + spec.text() + "' needs every node's individual update,"
                    + " which " + (options.secAgg().isPresent() ? "'secagg = true'" : "DP-FedAvg ('dp_clip_norm')")
                    + " does not give the coordinator: use fedavg, fedprox, fedadam, fedyogi or fedopt");
        }
    }

    private static <T> T wrap(String keys, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + keys + "': " + e.getMessage(), e);
        }
    }
}
