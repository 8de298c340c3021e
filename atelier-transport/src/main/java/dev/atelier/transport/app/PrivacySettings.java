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
        if (clip > 0) {
            dp = Optional.of(wrap("dp_*", () -> new PrivacyOptions.Dp(clip, z, target, delta)));
        } else if (z > 0 || target > 0) {
            throw new IllegalArgumentException("'dp_noise_multiplier' and 'target_epsilon' need 'dp_clip_norm' > 0");
        }
        return new PrivacySettings(new PrivacyOptions(secAgg, dp));
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
