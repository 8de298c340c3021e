package dev.atelier.sketch.privacy;

import dev.atelier.core.message.Config;
import dev.atelier.core.privacy.PrivacyOptions;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-sketch (record-level) DP-SGD of a designer's critic ({@link CriticDpSgd}): the clip norm,
 * noise multiplier or target epsilon and delta of {@link PrivacyOptions.Dp} (the same record the
 * coordinator's user-level DP uses, here with a pair of the designer's data as the unit), and the
 * critic steps the target epsilon is planned for.
 *
 * <p>Keys (node config, {@code atelier sketch train}, demo; docs/privacy.md):
 * <pre>
 * dp_sgd_clip_norm = 1.0          # C: L2 clip of one pair's critic gradient; > 0 turns DP-SGD on
 * dp_sgd_noise_multiplier = 1.1   # z, or:
 * dp_sgd_epsilon = 8              # pick z so dp_sgd_planned_steps critic steps spend at most this
 * dp_sgd_delta = 1e-5
 * dp_sgd_planned_steps = 121      # critic (GAN) steps of the whole run (default 11 rounds x 11)
 * </pre>
 *
 * @param dp           clip norm, noise multiplier or target, delta
 * @param plannedSteps critic steps the target epsilon is met after ({@code >= 1}); steps beyond it
 *                     keep spending (epsilon is always reported as spent, never as planned)
 */
public record DpSgdSettings(PrivacyOptions.Dp dp, long plannedSteps) {
    public static final String CLIP_NORM = "dp_sgd_clip_norm";
    public static final String NOISE_MULTIPLIER = "dp_sgd_noise_multiplier";
    public static final String EPSILON = "dp_sgd_epsilon";
    public static final String DELTA = "dp_sgd_delta";
    public static final String PLANNED_STEPS = "dp_sgd_planned_steps";
    public static final double DEFAULT_DELTA = 1e-5;
    /** FedGAI's schedule: 11 rounds of 11 critic steps. */
    public static final long DEFAULT_PLANNED_STEPS = 121;

    public DpSgdSettings {
        Objects.requireNonNull(dp, "dp");
        if (plannedSteps < 1) {
            throw new IllegalArgumentException(PLANNED_STEPS + " must be >= 1, got " + plannedSteps);
        }
    }

    /** DP-SGD that picks its noise for {@code epsilon} after {@code plannedSteps} critic steps. */
    public static DpSgdSettings forTarget(double clipNorm, double epsilon, double delta, long plannedSteps) {
        return new DpSgdSettings(new PrivacyOptions.Dp(clipNorm, 0, epsilon, delta), plannedSteps);
    }

    /**
     * The settings in {@code config}, or empty when {@value #CLIP_NORM} is absent or 0; any other
     * {@code dp_sgd_*} key without a clip norm is an error (a half-configured DP is not silently off).
     */
    public static Optional<DpSgdSettings> read(Config config) {
        double clip = config.getDouble(CLIP_NORM, 0);
        double z = config.getDouble(NOISE_MULTIPLIER, 0);
        double eps = config.getDouble(EPSILON, 0);
        double delta = config.getDouble(DELTA, DEFAULT_DELTA);
        long planned = config.getLong(PLANNED_STEPS, DEFAULT_PLANNED_STEPS);
        if (!(clip > 0)) {
            for (String k : new String[] {NOISE_MULTIPLIER, EPSILON, DELTA, PLANNED_STEPS}) {
                if (config.has(k)) {
                    throw new IllegalArgumentException("'" + k + "' needs '" + CLIP_NORM + "' > 0");
                }
            }
            if (clip < 0 || Double.isNaN(clip)) {
                throw new IllegalArgumentException("'" + CLIP_NORM + "' must be > 0 (0 = DP-SGD off), got " + clip);
            }
            return Optional.empty();
        }
        try {
            return Optional.of(new DpSgdSettings(new PrivacyOptions.Dp(clip, z, eps, delta), planned));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dp_sgd_*: " + e.getMessage(), e);
        }
    }
}
