package dev.atelier.core.privacy;

import java.util.Objects;

/**
 * The privatised gradient of one DP-SGD step (Abadi et al. 2016, "Deep Learning with Differential
 * Privacy"), record level: clip every per-example gradient to L2 norm {@code C}, sum, add
 * {@code N(0, z^2 C^2)} per coordinate, divide by the <em>expected</em> batch size {@code q N}
 * (Opacus' convention under Poisson sampling: the actual batch size is itself private).
 * Account each step with {@code RdpAccountant.compose(q, z, 1)}, {@code q} the Poisson rate
 * at which {@link PoissonSampling} drew the batch. A pure function of its inputs and the sampler;
 * inputs are not modified.
 */
public final class DpSgd {
    private DpSgd() {}

    /**
     * @param perExample the batch's per-example gradients, each of the same length (may be empty: a
     *     Poisson batch can be empty, and then the step is pure noise)
     * @param dimension the gradient length (needed when the batch is empty)
     * @param expectedBatchSize {@code q N > 0}
     * @return the noisy mean gradient, {@code dimension} long
     */
    public static float[] noisyGradient(
            float[][] perExample,
            int dimension,
            double clipNorm,
            double noiseMultiplier,
            double expectedBatchSize,
            GaussianSampler sampler) {
        Objects.requireNonNull(sampler, "sampler");
        L2Clip.requireClipNorm(clipNorm);
        if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
            throw new IllegalArgumentException("noise multiplier must be finite and >= 0, got " + noiseMultiplier);
        }
        if (!(expectedBatchSize > 0)) {
            throw new IllegalArgumentException("expected batch size must be > 0, got " + expectedBatchSize);
        }
        double[] sum = new double[dimension];
        for (float[] g : perExample) {
            if (g.length != dimension) {
                throw new IllegalArgumentException(
                        "per-example gradient of " + g.length + " elements, expected " + dimension);
            }
            double n2 = 0;
            for (float x : g) {
                n2 += (double) x * x;
            }
            double f = L2Clip.factor(Math.sqrt(n2), clipNorm);
            for (int i = 0; i < dimension; i++) {
                sum[i] += f * g[i];
            }
        }
        double std = noiseMultiplier * clipNorm;
        float[] out = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            out[i] = (float) ((sum[i] + (std == 0 ? 0 : sampler.next(std))) / expectedBatchSize);
        }
        return out;
    }
}
