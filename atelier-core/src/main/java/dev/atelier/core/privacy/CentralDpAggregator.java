package dev.atelier.core.privacy;

import dev.atelier.core.aggregate.Aggregator;
import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import java.util.Objects;

/**
 * DP-FedAvg with central noise (McMahan et al. 2018): each reply's update {@code reply - global}
 * is clipped to L2 norm {@code C} here, at the coordinator (so a node that does not clip cannot
 * raise the sensitivity), the clipped updates are summed unweighted, {@link CentralNoise} adds
 * {@code N(0, z^2 C^2)} per coordinate, and the noisy sum is divided by the expected number of
 * contributors {@code q N} (Andrew et al. 2019's fixed denominator: the actual count is not
 * private). {@link #result()} is {@code global + noisy mean}; it is computed once, so the noise is
 * drawn once per round. The coordinator still sees every clean update: this protects against
 * whoever sees the model, not against the coordinator. Thread-safe.
 */
public final class CentralDpAggregator implements Aggregator {
    private final ParamSet global;
    private final double clipNorm;
    private final double noiseMultiplier;
    private final double expectedContributors;
    private final GaussianSampler sampler;
    private final double[] sum;
    private int accepted;
    private int clipped;
    private ParamSet result;
    private NoiseReport report;
    private double snrEstimate = Double.NaN;

    /**
     * @param expectedContributors {@code q N}, the fixed denominator, {@code > 0}
     */
    public CentralDpAggregator(
            ParamSet global,
            double clipNorm,
            double noiseMultiplier,
            double expectedContributors,
            GaussianSampler sampler) {
        this.global = Objects.requireNonNull(global, "global");
        L2Clip.requireClipNorm(clipNorm);
        if (!(expectedContributors > 0) || Double.isInfinite(expectedContributors)) {
            throw new IllegalArgumentException("expected contributors must be > 0, got " + expectedContributors);
        }
        this.clipNorm = clipNorm;
        this.noiseMultiplier = noiseMultiplier;
        this.expectedContributors = expectedContributors;
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.sum = new double[Math.toIntExact(global.numElements())];
    }

    @Override
    public synchronized void accept(Reply reply) throws RejectedPayloadException {
        if (result != null) {
            throw new IllegalStateException("the round's noisy aggregate was already drawn");
        }
        ModelDelta d;
        try {
            d = ModelDelta.inOrderOf(reply.params(), global);
        } catch (IllegalArgumentException e) {
            throw new RejectedPayloadException("DP-FedAvg: " + e.getMessage());
        }
        double norm = d.l2Norm();
        double f = L2Clip.factor(norm, clipNorm);
        if (f < 1) {
            clipped++;
        }
        float[] v = d.values();
        for (int i = 0; i < v.length; i++) {
            sum[i] += v[i] * f;
        }
        accepted++;
    }

    @Override
    public synchronized int accepted() {
        return accepted;
    }

    /** Replies whose update was longer than the clip norm so far. */
    public synchronized int clipped() {
        return clipped;
    }

    @Override
    public synchronized ParamSet result() {
        if (accepted == 0) {
            throw new IllegalStateException("no reply was accepted");
        }
        if (result == null) {
            float[] s = new float[sum.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) sum[i];
            }
            CentralNoise.Result noisy = CentralNoise.addTo(s, clipNorm, noiseMultiplier, sampler);
            float[] mean = noisy.noisySum();
            snrEstimate = snrFromNoisy(mean, noiseMultiplier * clipNorm);
            for (int i = 0; i < mean.length; i++) {
                mean[i] = (float) (mean[i] / expectedContributors);
            }
            report = noisy.report();
            result = ModelDelta.over(global, mean).applyTo(global);
        }
        return result;
    }

    /**
     * The signal-to-noise ratio estimated from the noisy sum alone (post-processing, so it may be
     * published): {@code sqrt(max(0, ||y||^2 - d s^2)) / sqrt(d s^2)} with {@code s} the noise std.
     * {@link NoiseReport#snr()} is the exact one, computed from the clean sum: keep it inside the
     * coordinator. NaN before {@link #result()}.
     */
    public synchronized double snrEstimate() {
        return snrEstimate;
    }

    /** The estimate of {@link #snrEstimate()} for a noisy vector with per-coordinate noise std {@code std}. */
    public static double snrFromNoisy(float[] noisy, double std) {
        double y2 = 0;
        for (float v : noisy) {
            y2 += (double) v * v;
        }
        double n2 = noisy.length * std * std;
        return n2 == 0 ? Double.POSITIVE_INFINITY : Math.sqrt(Math.max(0, y2 - n2) / n2);
    }

    /** What the noise did to this round's sum; null before {@link #result()}. */
    public synchronized NoiseReport report() {
        return report;
    }
}
