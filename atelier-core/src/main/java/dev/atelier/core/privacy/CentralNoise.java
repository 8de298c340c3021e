package dev.atelier.core.privacy;

import java.util.Objects;

/**
 * The coordinator's noise step of DP-FedAvg with central DP: {@code sum + N(0, z^2 C^2 I)} on the
 * sum of clipped updates (McMahan et al. 2018; Andrew et al. 2019's fixed-denominator mean divides
 * the result by the expected number of contributors {@code q N}, not the actual one). A pure
 * function of its inputs and the sampler's bits; the input array is not modified.
 */
public final class CentralNoise {
    private CentralNoise() {}

    /** A noisy sum and its {@link NoiseReport}. */
    public record Result(float[] noisySum, NoiseReport report) {}

    /**
     * @param sum the sum of clipped updates (each of L2 norm at most {@code clipNorm})
     * @param noiseMultiplier {@code z} from the accountant ({@link NoiseCalibration})
     */
    public static Result addTo(float[] sum, double clipNorm, double noiseMultiplier, GaussianSampler sampler) {
        Objects.requireNonNull(sum, "sum");
        Objects.requireNonNull(sampler, "sampler");
        L2Clip.requireClipNorm(clipNorm);
        if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
            throw new IllegalArgumentException("noise multiplier must be finite and >= 0, got " + noiseMultiplier);
        }
        double std = noiseMultiplier * clipNorm;
        float[] out = new float[sum.length];
        double signal2 = 0;
        double noise2 = 0;
        for (int i = 0; i < sum.length; i++) {
            double e = std == 0 ? 0 : sampler.next(std);
            signal2 += (double) sum[i] * sum[i];
            noise2 += e * e;
            out[i] = (float) (sum[i] + e);
        }
        return new Result(out, new NoiseReport(Math.sqrt(signal2), Math.sqrt(noise2), std, clipNorm, sum.length));
    }
}
