package dev.atelier.core.privacy;

import java.util.Optional;

/**
 * Which privacy pieces a run turns on: secure aggregation (SecAgg+) and/or user-level DP-FedAvg.
 * Both off is a plain run. With DP and no SecAgg the noise is central (the coordinator clips every
 * update and noises the sum); with both, nodes clip and add discrete Gaussian noise shares under
 * the masks (distributed DP), so the coordinator never holds a noiseless sum. Immutable.
 *
 * @param secAgg secure aggregation settings; empty when off
 * @param dp     DP-FedAvg settings; empty when off
 */
public record PrivacyOptions(Optional<SecAgg> secAgg, Optional<Dp> dp) {
    /** Flower's SecAgg+ default quantisation range: {@code 2^22} levels. */
    public static final long DEFAULT_QUANTIZATION_RANGE = 1L << 22;

    /** Flower's SecAgg+ default clipping range of one (weighted) update coordinate. */
    public static final double DEFAULT_CLIP_RANGE = 8.0;

    public PrivacyOptions {
        java.util.Objects.requireNonNull(secAgg, "secAgg (use Optional.empty())");
        java.util.Objects.requireNonNull(dp, "dp (use Optional.empty())");
    }

    /** Nothing on. */
    public static PrivacyOptions none() {
        return new PrivacyOptions(Optional.empty(), Optional.empty());
    }

    public boolean any() {
        return secAgg.isPresent() || dp.isPresent();
    }

    /**
     * SecAgg+ settings.
     *
     * @param numShares         share holders per node including itself ({@code k + 1}, odd, >= 3);
     *                          a round uses the largest odd number at most this and at most the
     *                          nodes that trained. {@link Integer#MAX_VALUE} = complete graph.
     * @param threshold         shares needed to rebuild a secret; 0 = {@code numShares / 2 + 1} of
     *                          the round's numShares (a majority, needed against a coordinator that
     *                          lies about who dropped)
     * @param clipRange         quantiser range {@code c}: weighted update coordinates are clipped to
     *                          {@code [-c, c]}; with DP the round uses the DP clip norm instead
     * @param quantizationRange quantisation levels {@code L} (even, in [2, 2^31])
     */
    public record SecAgg(int numShares, int threshold, double clipRange, long quantizationRange) {
        public SecAgg {
            if (numShares < 3) {
                throw new IllegalArgumentException("secagg num_shares must be >= 3, got " + numShares);
            }
            if (threshold < 0 || (threshold > 0 && threshold < 2) || threshold > numShares) {
                throw new IllegalArgumentException(
                        "secagg threshold must be 0 (auto) or in [2, num_shares=" + numShares + "], got " + threshold);
            }
            if (!(clipRange > 0) || Double.isInfinite(clipRange)) {
                throw new IllegalArgumentException("secagg clip range must be finite and > 0, got " + clipRange);
            }
            if (quantizationRange < 2 || quantizationRange > (1L << 31) || quantizationRange % 2 != 0) {
                throw new IllegalArgumentException(
                        "secagg quantization range must be even and in [2, 2^31], got " + quantizationRange);
            }
        }

        /** Complete graph, majority threshold, Flower's quantiser defaults. */
        public static SecAgg defaults() {
            return new SecAgg(Integer.MAX_VALUE, 0, DEFAULT_CLIP_RANGE, DEFAULT_QUANTIZATION_RANGE);
        }

        /** The round's numShares for {@code nodes} nodes: the largest odd value at most both; 0 when below 3. */
        public int sharesFor(int nodes) {
            int k = Math.min(numShares, nodes);
            if (k % 2 == 0) {
                k--;
            }
            return k >= 3 ? k : 0;
        }

        /** The round's threshold for a round numShares of {@code shares}. */
        public int thresholdFor(int shares) {
            return threshold == 0 ? shares / 2 + 1 : threshold;
        }
    }

    /**
     * DP-FedAvg settings (user level: the unit is one node's whole update).
     *
     * @param clipNorm        L2 clip norm {@code C} of one node's update
     * @param noiseMultiplier {@code z}: the sum gets noise of std {@code z C}; 0 = pick it from
     *                        {@code targetEpsilon}
     * @param targetEpsilon   epsilon to reach after the planned rounds (used when noiseMultiplier is
     *                        0; {@link NoiseCalibration}); 0 when a multiplier is given
     * @param delta           the delta of every reported epsilon, in (0, 1)
     * @param adaptive        adaptive clipping (Andrew et al. 2019); empty = fixed {@code clipNorm},
     *                        present = {@code clipNorm} is the first round's {@code C}
     */
    public record Dp(
            double clipNorm,
            double noiseMultiplier,
            double targetEpsilon,
            double delta,
            Optional<AdaptiveClip> adaptive) {
        /** A fixed clip norm. */
        public Dp(double clipNorm, double noiseMultiplier, double targetEpsilon, double delta) {
            this(clipNorm, noiseMultiplier, targetEpsilon, delta, Optional.empty());
        }

        public Dp {
            java.util.Objects.requireNonNull(adaptive, "adaptive (use Optional.empty())");
            L2Clip.requireClipNorm(clipNorm);
            if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
                throw new IllegalArgumentException(
                        "dp noise multiplier must be finite and >= 0, got " + noiseMultiplier);
            }
            if (!(targetEpsilon >= 0) || Double.isInfinite(targetEpsilon)) {
                throw new IllegalArgumentException("target epsilon must be finite and >= 0, got " + targetEpsilon);
            }
            if ((noiseMultiplier > 0) == (targetEpsilon > 0)) {
                throw new IllegalArgumentException(
                        "DP needs exactly one of a noise multiplier and a target epsilon, got multiplier "
                                + noiseMultiplier + " and target " + targetEpsilon);
            }
            if (!(delta > 0 && delta < 1)) {
                throw new IllegalArgumentException("dp delta must be in (0, 1), got " + delta);
            }
        }

        /** The same settings with adaptive clipping on. */
        public Dp withAdaptive(AdaptiveClip a) {
            return new Dp(clipNorm, noiseMultiplier, targetEpsilon, delta, Optional.of(a));
        }
    }

    /**
     * Adaptive clipping settings (Andrew, Thakkar, McMahan, Ramaswamy 2019): the clip norm follows
     * the {@code targetQuantile} of the nodes' update norms by {@code C <- C exp(-eta (b - gamma))},
     * {@code b} the privatised fraction of nodes whose update was within {@code C}.
     *
     * @param targetQuantile   {@code gamma} in (0, 1); the paper's default 0.5
     * @param learningRate     {@code eta > 0}; the paper's default 0.2
     * @param countNoiseStddev {@code sigma_b > 0}: std of the Gaussian noise on the (centred) count
     *                         of unclipped nodes; the paper suggests {@code m / 20} for {@code m}
     *                         expected contributors; must exceed {@code z / 2}
     */
    public record AdaptiveClip(double targetQuantile, double learningRate, double countNoiseStddev) {
        public AdaptiveClip {
            if (!(targetQuantile > 0 && targetQuantile < 1)) {
                throw new IllegalArgumentException("dp_clip_target_quantile must be in (0, 1), got " + targetQuantile);
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("dp_clip_learning_rate must be finite and > 0, got " + learningRate);
            }
            if (!(countNoiseStddev > 0) || Double.isInfinite(countNoiseStddev)) {
                throw new IllegalArgumentException("dp_clip_count_stddev must be finite and > 0 (a noiseless count"
                        + " is not private; the paper uses expected contributors / 20), got " + countNoiseStddev);
            }
        }

        /** The paper's defaults gamma = 0.5 and eta = 0.2 with the given count noise. */
        public static AdaptiveClip defaults(double countNoiseStddev) {
            return new AdaptiveClip(0.5, 0.2, countNoiseStddev);
        }

        /** The clip-norm state of the first round. */
        public AdaptiveClipNorm start(double clipNorm) {
            return new AdaptiveClipNorm(clipNorm, targetQuantile, learningRate, countNoiseStddev);
        }
    }
}
