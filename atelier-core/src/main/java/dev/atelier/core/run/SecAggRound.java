package dev.atelier.core.run;

import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.message.Reply;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.privacy.ModelDelta;
import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.core.privacy.RandomBits;
import dev.atelier.core.privacy.secagg.SecAggAbortException;
import dev.atelier.core.privacy.secagg.SecAggKeys;
import dev.atelier.core.privacy.secagg.SecAggServer;
import dev.atelier.core.privacy.secagg.SecAggStage;
import dev.atelier.core.privacy.secagg.StochasticQuantizer;
import dev.atelier.core.transport.Transport;
import dev.atelier.core.util.UntrustedText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The coordinator's side of one secure-aggregation round, over the run's transport: five
 * exchanges in the ordinary Instruction/Reply vocabulary. First the strategy's TRAIN instructions
 * (or {@link SecureAnalytics}' ANALYTICS ones, same handling), marked {@link SecAggKeys#TRAIN},
 * so the nodes' {@code SecAggNode} keeps the update and answers
 * with example counts and metrics only; then the four {@link SecAggStage}s as
 * {@link TaskKind#SECAGG} instructions, driving a {@link SecAggServer} over the nodes that trained.
 * A node that fails or is late at any stage has dropped out; the server rebuilds what it needs from
 * the survivors' shares or aborts with a reason. The result is the exact dequantised sum of the
 * contributors' weighted (or, with DP, clipped and noised) updates, turned into the mean
 * {@code global + sum / denominator}:
 *
 * <ul>
 *   <li>without DP, weights {@code w_i = n_i / max_j n_j} (n = example counts, which every round
 *       reveals anyway) and denominator {@code sum of w_i} over the contributors: exact FedAvg up
 *       to quantisation;</li>
 *   <li>with DP, weights 1, each node adds discrete Gaussian noise of variance
 *       {@code (z L / 2)^2 / t} in quantisation steps, so any {@code t} (the threshold, the fewest
 *       contributors a finished round can have) sum to the full {@code z C}; denominator
 *       {@code q N}, the expected number of contributors.</li>
 *   <li>with adaptive clipping, the vector has one more coordinate: each node's centred bit
 *       {@code K (2 b_i - 1)} (b = 1 when its update was within C, {@code K} =
 *       {@link #countScale}) plus a discrete Gaussian share of variance {@code (2 K sigma_b)^2 / t},
 *       so the coordinator learns only {@code sum_i (b_i - 1/2) + N(0, >= sigma_b^2)}, whatever the
 *       dropouts.</li>
 * </ul>
 *
 * <p>Single-use; one thread drives it (the sinks are called from transport threads).
 */
final class SecAggRound {
    /** What the round produced. */
    record Outcome(
            ParamSet aggregate,
            List<Failure> failures,
            int contributors,
            int dropped,
            String aborted,
            MetricMean fit,
            Double snr,
            Double noisyCentredCount) {}

    /**
     * DP settings of the round: clip norm, applied multiplier, fixed denominator, and with adaptive
     * clipping the std {@code sigma_b} of the noise on the centred unclipped count (0 = no count).
     */
    record Dp(double clipNorm, double noiseMultiplier, double expectedContributors, double countNoiseStddev) {}

    /** Integer scale of the count coordinate: {@code 2 K} units per node bit, fine enough for any sigma_b. */
    static long countScale(long quantizationRange) {
        return Math.min(quantizationRange / 2, 1024);
    }

    private final String runId;
    private final int round;
    private final PrivacyOptions.SecAgg options;
    private final Dp dp;
    private final Transport transport;
    private final Duration stageTimeout;
    private final RandomBits graphBits;
    private final List<Failure> failures = new ArrayList<>();

    SecAggRound(
            String runId,
            int round,
            PrivacyOptions.SecAgg options,
            Dp dp,
            Transport transport,
            Duration stageTimeout,
            RandomBits graphBits) {
        this.runId = runId;
        this.round = round;
        this.options = options;
        this.dp = dp;
        this.transport = transport;
        this.stageTimeout = stageTimeout;
        this.graphBits = graphBits;
    }

    /** The noise variance of one node's share, in quantisation steps squared (0 without DP). */
    static double nodeNoiseVariance(Dp dp, long quantizationRange, int threshold) {
        if (dp == null) {
            return 0;
        }
        double total = dp.noiseMultiplier() * quantizationRange / 2.0;
        return total * total / threshold;
    }

    Outcome play(
            List<Instruction> strategyInstructions,
            List<NodeInfo> nodes,
            ReplyLimits limits,
            ParamSet global,
            Duration trainDeadline)
            throws InterruptedException {
        MetricMean fit = new MetricMean();
        Map<String, Long> examples = new ConcurrentHashMap<>();
        List<Instruction> train = new ArrayList<>();
        for (Instruction i : strategyInstructions) {
            Config c = i.config().with(SecAggKeys.TRAIN, true).with(SecAggKeys.L2_CLIP, dp == null ? 0 : dp.clipNorm());
            train.add(new Instruction(i.runId(), i.round(), i.nodeId(), i.kind(), c, i.params(), i.payload()));
        }
        Map<String, NodeInfo> byId = new TreeMap<>();
        nodes.forEach(n -> byId.put(n.nodeId(), n));
        StageReplies trained = exchange("secagg train", train, trainDeadline, r -> {
            if (!r.params().isEmpty()) {
                throw new RejectedPayloadException("a SecAgg train reply must not carry parameters, got "
                        + r.params().size() + " tensors (the node runs without SecAggNode?)");
            }
            if (r.numExamples() == 0) {
                throw new RejectedPayloadException("reply reports 0 examples, so it has no weight");
            }
            long cap = limits.maxExamplesFor(byId.get(r.nodeId()));
            ReplyLimits.checkExamples(r.numExamples(), cap, cap < limits.maxExamples());
            var bad = UntrustedText.checkMetrics(r.metrics());
            if (bad.isPresent()) {
                throw new RejectedPayloadException(bad.get());
            }
            examples.put(r.nodeId(), r.numExamples());
            fit.add(r.metrics(), r.numExamples());
        });
        List<String> ids = new ArrayList<>(new java.util.TreeSet<>(trained.taken()));
        int shares = options.sharesFor(ids.size());
        if (shares == 0) {
            return aborted("SecAgg needs at least 3 nodes that trained, got " + ids.size(), fit);
        }
        int threshold = options.thresholdFor(shares);
        if (threshold > shares) {
            return aborted("SecAgg threshold " + threshold + " exceeds this round's " + shares + " share holders", fit);
        }
        int d = Math.toIntExact(global.numElements());
        boolean counting = dp != null && dp.countNoiseStddev() > 0;
        int length = d + (counting ? 1 : 0);
        long levels = options.quantizationRange();
        long countScale = countScale(levels);
        double countVar = counting ? Math.pow(2 * countScale * dp.countNoiseStddev(), 2) / threshold : 0;
        StochasticQuantizer quantizer =
                new StochasticQuantizer(dp == null ? options.clipRange() : dp.clipNorm(), levels);
        double var = nodeNoiseVariance(dp, levels, threshold);
        double noiseStd = Math.sqrt(Math.max(var, countVar) * ids.size());
        if (quantizer.centredHeadroom(ids.size()) < 10 * noiseStd + 1) {
            return aborted(
                    "the sum of " + ids.size() + " vectors of " + levels + " levels" + (dp == null ? "" : " plus noise")
                            + " does not fit 32 bits: lower secagg_quantization_range",
                    fit);
        }
        long maxExamples =
                examples.values().stream().mapToLong(Long::longValue).max().orElse(1);
        SecAggServer server = new SecAggServer(runId + "/" + round, ids, shares, threshold, length, graphBits);
        SecAggServer.Result result;
        try {
            Config setupConfig = stage(SecAggStage.SETUP)
                    .with(SecAggKeys.CLIP_RANGE, quantizer.clippingRange())
                    .with(SecAggKeys.QUANTIZATION_RANGE, levels);
            server.receiveSetup(payloads(SecAggStage.SETUP, server.setupRequests(), n -> setupConfig));
            Config shareConfig = stage(SecAggStage.SHARE_KEYS);
            server.receiveShareKeys(payloads(SecAggStage.SHARE_KEYS, server.shareKeysRequests(), n -> shareConfig));
            Config collect = stage(SecAggStage.COLLECT_MASKED_VECTORS).with(SecAggKeys.NOISE_VARIANCE, var);
            if (counting) {
                collect = collect.with(SecAggKeys.COUNT_SCALE, countScale)
                        .with(SecAggKeys.COUNT_NOISE_VARIANCE, countVar);
            }
            Config collectConfig = collect;
            exchange(
                    SecAggStage.COLLECT_MASKED_VECTORS.wireName(),
                    instructions(
                            server.collectRequests(),
                            n -> collectConfig.with(
                                    SecAggKeys.WEIGHT, dp == null ? (double) examples.get(n) / maxExamples : 1.0)),
                    stageTimeout,
                    r -> {
                        int[] y = maskedVector(r, length);
                        synchronized (server) {
                            try {
                                server.addMasked(r.nodeId(), y);
                            } catch (IllegalArgumentException e) {
                                throw new RejectedPayloadException(e.getMessage());
                            }
                        }
                    });
            server.endMasked();
            Config unmask = stage(SecAggStage.UNMASK);
            result = server.finish(payloads(SecAggStage.UNMASK, server.unmaskRequests(), n -> unmask));
        } catch (SecAggAbortException e) {
            return aborted(e.getMessage(), fit);
        } catch (IllegalArgumentException e) {
            // a node's payload broke a stage as a whole (e.g. shares for non-neighbours)
            return aborted("SecAgg round aborted: " + e.getMessage(), fit);
        }
        int count = result.contributors().size();
        int[] raw = result.sum();
        Double noisyCount = null;
        if (counting) {
            int centred = raw[d] - (int) (count * (levels / 2)); // mod 2^32, read signed (headroom checked)
            noisyCount = centred / (2.0 * countScale);
            raw = java.util.Arrays.copyOf(raw, d);
        }
        float[] sum = quantizer.dequantizeCentred(raw, count);
        double denominator;
        if (dp == null) {
            denominator = 0;
            for (String n : result.contributors()) {
                denominator += (double) examples.get(n) / maxExamples;
            }
        } else {
            denominator = dp.expectedContributors();
        }
        Double snr = null;
        if (dp != null) {
            snr = dev.atelier.core.privacy.CentralDpAggregator.snrFromNoisy(
                    sum, Math.sqrt(var * count) * quantizer.step());
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) (sum[i] / denominator);
        }
        ParamSet aggregate = ModelDelta.over(global, mean).applyTo(global);
        return new Outcome(
                aggregate,
                List.copyOf(failures),
                count,
                result.droppedAfterSharing().size(),
                null,
                fit,
                snr,
                noisyCount);
    }

    private Outcome aborted(String reason, MetricMean fit) {
        failures.add(new Failure("*", Failure.Kind.ERROR, "SecAgg round aborted, global model kept: " + reason));
        return new Outcome(null, List.copyOf(failures), 0, 0, reason, fit, null, null);
    }

    private Config stage(SecAggStage s) {
        return Config.empty().with(SecAggKeys.STAGE, s.wireName());
    }

    private List<Instruction> instructions(
            Map<String, byte[]> requests, java.util.function.Function<String, Config> config) {
        List<Instruction> out = new ArrayList<>();
        requests.forEach((n, b) ->
                out.add(new Instruction(runId, round, n, TaskKind.SECAGG, config.apply(n), ParamSet.empty(), b)));
        return out;
    }

    /** One stage whose replies are payloads only; returns them by node. */
    private Map<String, byte[]> payloads(
            SecAggStage s, Map<String, byte[]> requests, java.util.function.Function<String, Config> config)
            throws InterruptedException {
        Map<String, byte[]> got = new ConcurrentHashMap<>();
        exchange(s.wireName(), instructions(requests, config), stageTimeout, r -> {
            if (!r.params().isEmpty()) {
                throw new RejectedPayloadException("a " + s.wireName() + " reply carries a payload only, got "
                        + r.params().size() + " tensors");
            }
            got.put(r.nodeId(), r.payload());
        });
        return new TreeMap<>(got);
    }

    private StageReplies exchange(String name, List<Instruction> ins, Duration deadline, StageReplies.Taker taker)
            throws InterruptedException {
        StageReplies sink = new StageReplies(name, ins, taker);
        if (!ins.isEmpty()) {
            transport.sendAndReceive(ins, sink, deadline);
        }
        failures.addAll(sink.failures());
        return sink;
    }

    private static int[] maskedVector(Reply r, int d) throws RejectedPayloadException {
        ParamSet p = r.params();
        if (p.size() != 1 || !p.contains(SecAggKeys.MASKED_TENSOR)) {
            throw new RejectedPayloadException("a masked-vector reply carries exactly one tensor '"
                    + SecAggKeys.MASKED_TENSOR + "', got " + p.names());
        }
        Tensor t = p.get(SecAggKeys.MASKED_TENSOR);
        if (t.dtype() != DType.I32 || t.shape().length != 1 || t.numElements() != d) {
            throw new RejectedPayloadException("the masked vector must be I32 of shape [" + d + "], got " + t);
        }
        int[] y = new int[d];
        t.data().asIntBuffer().get(y);
        return y;
    }
}
