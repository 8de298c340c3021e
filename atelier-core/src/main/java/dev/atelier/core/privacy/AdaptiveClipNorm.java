package dev.atelier.core.privacy;

/**
 * Adaptive clipping (Andrew, Thakkar, McMahan, Ramaswamy 2019, "Differentially Private Learning
 * with Adaptive Clipping", arXiv:1905.03871): the clip norm tracks the {@code gamma}-quantile of
 * update norms by the geometric step {@code C <- C exp(-eta (b - gamma))}, where {@code b} is the
 * noisy fraction of nodes whose update was within {@code C}. Each contributor's bit
 * {@code b_i = 1[||d_i|| <= C]} is released centred, {@code b_i - 1/2}, so one node changes the sum
 * by at most 1/2 (Andrew et al. 2019, section 3.2): the coordinator gets
 * {@code S~ = sum_i (b_i - 1/2) + N(0, sigma_b^2)} and estimates
 * {@code b = S~ / m + 1/2} with {@code m} the expected number of contributors (fixed, since the
 * actual count is not private). Releasing {@code S~} costs privacy too:
 * {@link #updateNoiseMultiplier} gives the multiplier to put on the update so the pair is
 * accounted as one Gaussian of multiplier {@code z}.
 * Immutable.
 *
 * @param clipNorm the current clip norm {@code C > 0}
 * @param targetQuantile {@code gamma} in (0, 1), e.g. 0.5
 * @param learningRate {@code eta > 0}, e.g. 0.2
 * @param countNoiseStddev {@code sigma_b >= 0}, e.g. {@code m / 20}
 */
public record AdaptiveClipNorm(double clipNorm, double targetQuantile, double learningRate, double countNoiseStddev) {
    public AdaptiveClipNorm {
        L2Clip.requireClipNorm(clipNorm);
        if (!(targetQuantile > 0 && targetQuantile < 1)) {
            throw new IllegalArgumentException("target quantile must be in (0, 1), got " + targetQuantile);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("clip learning rate must be finite and > 0, got " + learningRate);
        }
        if (!(countNoiseStddev >= 0) || Double.isInfinite(countNoiseStddev)) {
            throw new IllegalArgumentException("count noise stddev must be finite and >= 0, got " + countNoiseStddev);
        }
    }

    /**
     * The next round's clip norm from the clean centred count (central DP: the coordinator saw the
     * bits); adds the count noise {@code N(0, sigma_b^2)} here.
     *
     * @param centredSum {@code sum_i (b_i - 1/2)} over the round's contributors
     * @param expectedContributors {@code m = q N}, the fixed denominator
     */
    public AdaptiveClipNorm next(double centredSum, double expectedContributors, GaussianSampler sampler) {
        return nextFromNoisy(
                centredSum + (countNoiseStddev == 0 ? 0 : sampler.next(countNoiseStddev)), expectedContributors);
    }

    /**
     * The next round's clip norm from a centred count that already carries its noise (distributed
     * DP: the nodes' noise shares arrived inside the secure sum).
     */
    public AdaptiveClipNorm nextFromNoisy(double noisyCentredSum, double expectedContributors) {
        if (!Double.isFinite(noisyCentredSum)
                || !(expectedContributors > 0)
                || Double.isInfinite(expectedContributors)) {
            throw new IllegalArgumentException("need a finite count and expectedContributors > 0, got "
                    + noisyCentredSum + ", " + expectedContributors);
        }
        double b = noisyCentredSum / expectedContributors + 0.5;
        double c = clipNorm * Math.exp(-learningRate * (b - targetQuantile));
        return new AdaptiveClipNorm(c, targetQuantile, learningRate, countNoiseStddev);
    }

    /**
     * Andrew et al. 2019, Theorem 1: the noised update (multiplier {@code z_d}) and noised count
     * (stddev {@code sigma_b}, sensitivity 1/2 after centring the bits) compose to one Gaussian with
     * {@code z^-2 = z_d^-2 + (2 sigma_b)^-2}; so {@code z_d = (z^-2 - (2 sigma_b)^-2)^(-1/2)}.
     *
     * @param totalNoiseMultiplier the {@code z} the accountant was given
     * @throws IllegalArgumentException when {@code 2 sigma_b <= z} (the count alone would spend the budget)
     */
    public static double updateNoiseMultiplier(double totalNoiseMultiplier, double countNoiseStddev) {
        double z = totalNoiseMultiplier;
        if (countNoiseStddev == 0) {
            throw new IllegalArgumentException("a noiseless count is not private: countNoiseStddev must be > 0");
        }
        double rest = 1 / (z * z) - 1 / (4 * countNoiseStddev * countNoiseStddev);
        if (!(rest > 0)) {
            throw new IllegalArgumentException("count noise stddev " + countNoiseStddev
                    + " is too small for total noise multiplier " + z + ": need 2 sigma_b > z");
        }
        return 1 / Math.sqrt(rest);
    }
}
