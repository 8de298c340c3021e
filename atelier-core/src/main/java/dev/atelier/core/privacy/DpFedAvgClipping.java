package dev.atelier.core.privacy;

import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.util.Cancellation;
import dev.atelier.core.workload.NodeMiddleware;
import dev.atelier.core.workload.Workload;
import java.util.Objects;
import java.util.TreeMap;

/**
 * User-level DP on the node (DP-FedAvg, McMahan et al. 2018): the reply's update
 * {@code reply.params - instruction.params} is clipped to L2 norm {@code C} and, optionally,
 * Gaussian noise of standard deviation {@code noiseStddev} is added to every coordinate before the
 * parameters leave. Place it outside (earlier in the chain than) any outbound selection filter,
 * so the norm is measured over exactly what leaves; every name the reply carries must be floating
 * point and present in the instruction.
 *
 * <p>Noise placement, with noise multiplier {@code z} from the accountant:
 * <ul>
 *   <li>{@link #clipOnly}: no node noise; the coordinator adds {@code N(0, z^2 C^2)} to the sum
 *       ({@link CentralNoise}) — trusts the coordinator with the clean sum.</li>
 *   <li>{@link #distributed}: each node adds {@code N(0, z^2 C^2 / m)} so that any {@code m}
 *       surviving nodes' noise sums to the full {@code z C}; under secure aggregation the
 *       coordinator never sees a noiseless sum. (With SecAgg the noise must be integer:
 *       quantise, then add {@link DiscreteGaussianSampler} noise; this float variant is for
 *       simulation and for a coordinator that only sees the sum.)</li>
 *   <li>{@link #local}: each node adds the full {@code z C}: every single update is DP on its own.</li>
 * </ul>
 *
 * <p>When {@code reportUnclipped} is set, the reply carries metric {@value #UNCLIPPED_METRIC} =
 * 1 if the update was within {@code C} (else 0), the bit adaptive clipping ({@link AdaptiveClipNorm})
 * aggregates; it is itself private data and must be noised and accounted by the coordinator.
 * Called by one thread at a time (owns its sampler).
 */
public final class DpFedAvgClipping implements NodeMiddleware {
    /** Reply metric: 1.0 when the update norm was at most the clip norm. */
    public static final String UNCLIPPED_METRIC = "dp.unclipped";

    private final double clipNorm;
    private final double noiseStddev;
    private final GaussianSampler noise;
    private final boolean reportUnclipped;

    private DpFedAvgClipping(double clipNorm, double noiseStddev, GaussianSampler noise, boolean reportUnclipped) {
        L2Clip.requireClipNorm(clipNorm);
        if (!(noiseStddev >= 0) || Double.isInfinite(noiseStddev)) {
            throw new IllegalArgumentException("noise stddev must be finite and >= 0, got " + noiseStddev);
        }
        this.clipNorm = clipNorm;
        this.noiseStddev = noiseStddev;
        this.noise = noiseStddev > 0 ? Objects.requireNonNull(noise, "noise sampler") : null;
        this.reportUnclipped = reportUnclipped;
    }

    /** Clip to {@code clipNorm}, no node noise (central DP or SecAgg with noise added elsewhere). */
    public static DpFedAvgClipping clipOnly(double clipNorm, boolean reportUnclipped) {
        return new DpFedAvgClipping(clipNorm, 0, null, reportUnclipped);
    }

    /** Clip, then add this node's share {@code z C / sqrt(minSurvivors)} of the noise. */
    public static DpFedAvgClipping distributed(
            double clipNorm,
            double noiseMultiplier,
            int minSurvivors,
            GaussianSampler sampler,
            boolean reportUnclipped) {
        if (minSurvivors < 1) {
            throw new IllegalArgumentException("minSurvivors must be >= 1, got " + minSurvivors);
        }
        requireMultiplier(noiseMultiplier);
        return new DpFedAvgClipping(
                clipNorm, noiseMultiplier * clipNorm / Math.sqrt(minSurvivors), sampler, reportUnclipped);
    }

    /** Clip, then add the full {@code z C} at this node (local DP). */
    public static DpFedAvgClipping local(
            double clipNorm, double noiseMultiplier, GaussianSampler sampler, boolean reportUnclipped) {
        requireMultiplier(noiseMultiplier);
        return new DpFedAvgClipping(clipNorm, noiseMultiplier * clipNorm, sampler, reportUnclipped);
    }

    /** Per-coordinate noise standard deviation this node adds (0 for clip-only). */
    public double noiseStddev() {
        return noiseStddev;
    }

    @Override
    public Reply handle(Instruction instruction, Cancellation cancel, Workload next) throws Exception {
        Reply reply = next.handle(instruction, cancel);
        if (reply.params().isEmpty()) {
            return reply; // evaluation or metric-only task: nothing to clip
        }
        ModelDelta delta;
        try {
            delta = ModelDelta.between(reply.params(), instruction.params());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("node " + instruction.nodeId() + " DP clipping: " + e.getMessage(), e);
        }
        double norm = delta.l2Norm();
        double[] n = null;
        if (noiseStddev > 0) {
            n = new double[delta.dimension()];
            for (int i = 0; i < n.length; i++) {
                n[i] = noise.next(noiseStddev);
            }
        }
        ModelDelta clipped = delta.scaledPlus(L2Clip.factor(norm, clipNorm), n);
        Reply out = reply.withParams(clipped.applyTo(instruction.params()));
        if (!reportUnclipped) {
            return out;
        }
        TreeMap<String, Double> metrics = new TreeMap<>(out.metrics());
        metrics.put(UNCLIPPED_METRIC, norm <= clipNorm ? 1.0 : 0.0);
        return new Reply(out.nodeId(), out.round(), out.params(), out.numExamples(), metrics, out.payload());
    }

    private static void requireMultiplier(double z) {
        if (!(z > 0) || Double.isInfinite(z)) {
            throw new IllegalArgumentException("noise multiplier must be finite and > 0, got " + z);
        }
    }
}
