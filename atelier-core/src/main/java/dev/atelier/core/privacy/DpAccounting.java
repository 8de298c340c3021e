package dev.atelier.core.privacy;

/**
 * The privacy bookkeeping of one DP-FedAvg run: the noise multiplier it applies, the one it is
 * accounted with, and epsilon spent after each round. One accountant step per played round (a
 * round that was sampled but not aggregated still counts: conservative), at sampling rate
 * {@code q}, which is valid because DP rounds sample nodes by Poisson sampling
 * ({@link PoissonSampling}).
 *
 * <p>{@code sensitivityInflation >= 1} covers mechanisms whose real sensitivity exceeds the clip
 * norm: under SecAgg, stochastic rounding can move each coordinate by up to one quantisation step,
 * so the L2 sensitivity in quantised units is {@code C/step + sqrt(d)} instead of {@code C/step};
 * the applied multiplier is then the accounted one times that ratio.
 *
 * <p>With adaptive clipping ({@link PrivacyOptions.AdaptiveClip}) every round releases two
 * Gaussians: the update sum (multiplier {@code z_Delta}, sensitivity {@code C}) and the centred
 * unclipped count (std {@code sigma_b}, sensitivity 1/2). Andrew et al. 2019, Theorem 1: together
 * they are one Gaussian mechanism of multiplier {@code z = (z_Delta^-2 + (2 sigma_b)^-2)^-1/2},
 * which is what the accountant composes. A target epsilon picks {@code z} and the update gets
 * {@code z_Delta = (z^-2 - (2 sigma_b)^-2)^-1/2} (more noise than without adaptive clipping: the
 * count's share of the budget); a given {@code dp_noise_multiplier} is {@code z_Delta} and the
 * accountant uses the smaller combined {@code z}. Not thread-safe.
 */
public final class DpAccounting {
    private final PrivacyOptions.Dp dp;
    private final double q;
    private final double applied;
    private final double accounted;
    private RdpAccountant accountant = RdpAccountant.create();

    private DpAccounting(PrivacyOptions.Dp dp, double q, double applied, double accounted) {
        this.dp = dp;
        this.q = q;
        this.applied = applied;
        this.accounted = accounted;
    }

    /**
     * @param q       Poisson node sampling rate in (0, 1]
     * @param rounds  planned rounds (the target epsilon is met after all of them)
     * @param inflation sensitivity inflation, {@code >= 1} (1 for central noise)
     */
    public static DpAccounting plan(PrivacyOptions.Dp dp, double q, int rounds, double inflation) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("DP sampling rate must be in (0, 1], got " + q);
        }
        if (!(inflation >= 1) || Double.isInfinite(inflation)) {
            throw new IllegalArgumentException("sensitivity inflation must be finite and >= 1, got " + inflation);
        }
        double sigmaB =
                dp.adaptive().map(PrivacyOptions.AdaptiveClip::countNoiseStddev).orElse(0.0);
        double accounted;
        double update; // z_Delta, before the sensitivity inflation
        if (dp.noiseMultiplier() > 0) {
            update = dp.noiseMultiplier() / inflation;
            accounted = sigmaB > 0 ? 1 / Math.sqrt(1 / (update * update) + 1 / (4 * sigmaB * sigmaB)) : update;
        } else {
            accounted = NoiseCalibration.sigmaForTarget(dp.targetEpsilon(), dp.delta(), q, rounds);
            if (sigmaB > 0) {
                try {
                    update = AdaptiveClipNorm.updateNoiseMultiplier(accounted, sigmaB);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "target epsilon " + dp.targetEpsilon() + " needs noise multiplier " + accounted
                                    + ", so dp_clip_count_stddev must exceed " + accounted / 2 + ", got " + sigmaB,
                            e);
                }
            } else {
                update = accounted;
            }
        }
        double applied = dp.noiseMultiplier() > 0 ? dp.noiseMultiplier() : update * inflation;
        return new DpAccounting(dp, q, applied, accounted);
    }

    /** Counts {@code rounds} rounds already played (resume). */
    public void alreadyPlayed(int rounds) {
        accountant = accountant.compose(q, accounted, rounds);
    }

    /** Counts one round and returns what the run has spent so far. */
    public PrivacySpent step() {
        accountant = accountant.compose(q, accounted, 1);
        return spent();
    }

    public PrivacySpent spent() {
        return accountant.spent(dp.delta());
    }

    /** Multiplier of the noise actually added: std = this × clip norm. */
    public double appliedMultiplier() {
        return applied;
    }

    /**
     * Multiplier the accountant uses: applied / inflation, or with adaptive clipping the combined
     * {@code z} of the update and the count.
     */
    public double accountedMultiplier() {
        return accounted;
    }

    public double samplingRate() {
        return q;
    }

    public PrivacyOptions.Dp options() {
        return dp;
    }

    /** Std {@code sigma_b} of the noise on the centred unclipped count; 0 without adaptive clipping. */
    public double countNoiseStddev() {
        return dp.adaptive().map(PrivacyOptions.AdaptiveClip::countNoiseStddev).orElse(0.0);
    }
}
