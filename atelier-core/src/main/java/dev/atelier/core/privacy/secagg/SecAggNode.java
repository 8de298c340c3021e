package dev.atelier.core.privacy.secagg;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.privacy.DiscreteGaussianSampler;
import dev.atelier.core.privacy.L2Clip;
import dev.atelier.core.privacy.ModelDelta;
import dev.atelier.core.privacy.RandomBits;
import dev.atelier.core.util.Cancellation;
import dev.atelier.core.workload.NodeMiddleware;
import dev.atelier.core.workload.Workload;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The node's side of secure aggregation as a {@link NodeMiddleware}, so any workload takes part
 * unchanged. Put it outermost ({@code node.withOuter(new SecAggNode())}): it must see the reply
 * exactly as it would leave. Instructions that are not SecAgg pass through untouched, so a node
 * can always carry it.
 *
 * <ol>
 *   <li>TRAIN (or ANALYTICS) with {@link SecAggKeys#TRAIN}: runs the workload, keeps
 *       {@code reply - instruction} (all tensors of the instruction, in its order; for an analytics
 *       vector the instruction carries zeros of its shape), clipped to L2 norm
 *       {@link SecAggKeys#L2_CLIP} when set (DP), and answers with the example count and metrics
 *       only: no parameters. In a DP round (clip set) the count is coarsened to 1 and the metrics
 *       are dropped: they are statistics of the node's data the DP noise does not cover.</li>
 *   <li>SECAGG setup / share_keys / unmask: the {@link SecAggClient} answers; the reply carries
 *       the protocol payload only.</li>
 *   <li>SECAGG collect_masked_vectors: multiplies the kept update by {@link SecAggKeys#WEIGHT},
 *       quantises it stochastically ({@link StochasticQuantizer}), adds its discrete Gaussian noise
 *       share ({@link SecAggKeys#NOISE_VARIANCE}, distributed DP), with adaptive clipping appends
 *       the clipped-or-not bit as one more coordinate ({@link SecAggKeys#COUNT_SCALE}) with its own
 *       noise share, masks it and answers with the masked int32 vector as tensor
 *       {@link SecAggKeys#MASKED_TENSOR}.</li>
 * </ol>
 *
 * <p>Everything the coordinator sends is checked (stage order by the client, ranges here); a
 * refusal throws and the node fails that stage. One round at a time: a new SecAgg TRAIN discards
 * an unfinished round. Called by one thread at a time (the node's).
 */
public final class SecAggNode implements NodeMiddleware {
    private final Supplier<SecureRandom> random;
    private String runId;
    private int round = -1;
    private SecAggClient client;
    private float[] update;
    private boolean withinClip;
    private boolean clipped; // the round clipped to an L2 norm (DP), so withinClip means something
    private StochasticQuantizer quantizer;

    /** Production: keys, shares, rounding and noise from the JDK's DRBG. */
    public SecAggNode() {
        this(SecAggNode::drbg);
    }

    /** @param random a fresh {@link SecureRandom} per round (tests inject a seeded one) */
    public SecAggNode(Supplier<SecureRandom> random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public Reply handle(Instruction ins, Cancellation cancel, Workload next) throws Exception {
        if ((ins.kind() == TaskKind.TRAIN || ins.kind() == TaskKind.ANALYTICS)
                && ins.config().getBoolean(SecAggKeys.TRAIN, false)) {
            return train(ins, cancel, next);
        }
        if (ins.kind() != TaskKind.SECAGG) {
            return next.handle(ins, cancel);
        }
        if (client == null || ins.round() != round || !ins.runId().equals(runId)) {
            throw new IllegalStateException("node " + ins.nodeId() + " has no SecAgg round in progress for run "
                    + ins.runId() + " round " + ins.round());
        }
        Config c = ins.config();
        SecAggStage stage = SecAggStage.fromWireName(c.getString(SecAggKeys.STAGE, ""));
        return switch (stage) {
            case SETUP -> {
                quantizer = new StochasticQuantizer(
                        c.getDouble(SecAggKeys.CLIP_RANGE, 0), c.getLong(SecAggKeys.QUANTIZATION_RANGE, 0));
                byte[] out = client.setup(ins.payload());
                yield payloadReply(ins, out);
            }
            case SHARE_KEYS -> payloadReply(ins, client.shareKeys(ins.payload()));
            case COLLECT_MASKED_VECTORS -> collect(ins);
            case UNMASK -> {
                byte[] out = client.unmask(ins.payload());
                client = null; // round finished on this side: forget secrets and the update
                update = null;
                yield payloadReply(ins, out);
            }
        };
    }

    private Reply train(Instruction ins, Cancellation cancel, Workload next) throws Exception {
        client = null;
        update = null;
        Reply r = next.handle(ins, cancel);
        ModelDelta delta;
        try {
            delta = ModelDelta.inOrderOf(r.params(), ins.params());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("node " + ins.nodeId() + " SecAgg: " + e.getMessage(), e);
        }
        double clip = ins.config().getDouble(SecAggKeys.L2_CLIP, 0);
        if (clip < 0 || Double.isNaN(clip) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("SecAgg L2 clip must be finite and >= 0, got " + clip);
        }
        float[] v = delta.values();
        double norm = delta.l2Norm();
        withinClip = norm <= clip;
        clipped = clip > 0;
        if (clip > 0) {
            double f = L2Clip.factor(norm, clip);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] * f);
            }
        }
        runId = ins.runId();
        round = ins.round();
        update = v;
        client = new SecAggClient(ins.nodeId(), random.get());
        if (clip > 0) {
            return new Reply(r.nodeId(), r.round(), ParamSet.empty(), 1, java.util.Map.of(), null);
        }
        return new Reply(r.nodeId(), r.round(), ParamSet.empty(), r.numExamples(), r.metrics(), null);
    }

    private Reply collect(Instruction ins) {
        if (quantizer == null) {
            throw new IllegalStateException("node " + ins.nodeId() + " got collect_masked_vectors before setup");
        }
        double w = ins.config().getDouble(SecAggKeys.WEIGHT, Double.NaN);
        if (!(w > 0 && w <= 1)) {
            throw new IllegalArgumentException("SecAgg weight must be in (0, 1], got " + w);
        }
        double var = ins.config().getDouble(SecAggKeys.NOISE_VARIANCE, 0);
        if (!(var >= 0) || Double.isInfinite(var)) {
            throw new IllegalArgumentException("SecAgg noise variance must be finite and >= 0, got " + var);
        }
        long countScale = ins.config().getLong(SecAggKeys.COUNT_SCALE, 0);
        long half = quantizer.targetRange() / 2;
        if (countScale > 0 && !clipped) {
            throw new IllegalArgumentException(
                    "a SecAgg clip count needs an L2 clip at training, which this round had not");
        }
        if (countScale < 0 || countScale > half) {
            throw new IllegalArgumentException(
                    "SecAgg count scale must be in [0, L/2 = " + half + "], got " + countScale);
        }
        double countVar = ins.config().getDouble(SecAggKeys.COUNT_NOISE_VARIANCE, 0);
        if (!(countVar >= 0) || Double.isInfinite(countVar) || (countScale > 0 && countVar == 0)) {
            throw new IllegalArgumentException(
                    "SecAgg count noise variance must be finite and > 0 with a count, got " + countVar);
        }
        float[] x = new float[update.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (update[i] * w);
        }
        // Rounding and noise coins from AES-256-CTR keyed by 32 fresh DRBG bytes: the same security
        // as drawing every coin from the DRBG (a PRG), at a fraction of the cost for 1M coordinates.
        byte[] key = new byte[32];
        random.get().nextBytes(key);
        RandomBits bits = new dev.atelier.core.privacy.AesCtrPrg(key);
        int[] q = quantizer.quantize(x, bits);
        if (var > 0) {
            DiscreteGaussianSampler noise = new DiscreteGaussianSampler(var, bits);
            for (int i = 0; i < q.length; i++) {
                q[i] += (int) noise.next(); // mod 2^32, as the sum is
            }
        }
        if (countScale > 0) {
            // the centred clipped-or-not bit, offset by L/2 like every quantised coordinate
            long bit = half + countScale * (withinClip ? 1 : -1);
            q = java.util.Arrays.copyOf(q, q.length + 1);
            q[q.length - 1] = (int) (bit + new DiscreteGaussianSampler(countVar, bits).next());
        }
        int[] y = client.maskedVector(ins.payload(), q);
        ByteBuffer b = ByteBuffer.allocate(y.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(y);
        ParamSet p = ParamSet.builder()
                .put(SecAggKeys.MASKED_TENSOR, Tensor.of(DType.I32, new long[] {y.length}, b))
                .build();
        return new Reply(ins.nodeId(), ins.round(), p, 1, null, null);
    }

    private static Reply payloadReply(Instruction ins, byte[] payload) {
        return new Reply(ins.nodeId(), ins.round(), ParamSet.empty(), 1, null, payload);
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
