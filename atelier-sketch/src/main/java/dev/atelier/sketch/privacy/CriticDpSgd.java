package dev.atelier.sketch.privacy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.privacy.DpSgd;
import dev.atelier.core.privacy.GaussianSampler;
import dev.atelier.core.privacy.NoiseCalibration;
import dev.atelier.core.privacy.PrivacySpent;
import dev.atelier.core.privacy.RandomBits;
import dev.atelier.core.privacy.RdpAccountant;
import dev.atelier.ml.nn.ParamOptimizer;
import dev.atelier.ml.nn.layers.Scalars;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.train.FedDecorr;
import dev.atelier.sketch.train.SketchLosses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Per-sketch DP-SGD (Abadi et al. 2016) of one designer's critic; the record is one of her
 * {@code N} training pairs. Every critic step:
 * <ol>
 *   <li>Poisson-samples records at rate {@code q = min(1, batch / N)} ({@link #sampleBatch}), the
 *       sampling the {@link RdpAccountant} assumes;</li>
 *   <li>computes each sampled record's critic gradient alone: a microbatch of its real Gram stack
 *       and the fake one of its garment, {@code [2, K, S, S]} (BatchNorm statistics over those two,
 *       so no record's gradient depends on another's), hinge loss plus FedDecorr, one
 *       {@link GradientCollector} and one NDManager sub-manager per record, one after the other;</li>
 *   <li>clips each to L2 norm {@code C} over all critic weights (BatchNorm's affine ones included),
 *       sums, adds {@code N(0, z^2 C^2)} per weight from the CSPRNG {@link GaussianSampler} and divides
 *       by {@code qN} ({@link DpSgd#noisyGradient}, the project's one implementation);</li>
 *   <li>{@link #apply}: installs that as the critic's gradient (plus the data-independent FedProx
 *       term) and takes the optimizer step; the accountant composes one step at {@code (q, z)}.</li>
 * </ol>
 * {@code z} is the given multiplier or the smallest one meeting the target epsilon after the
 * planned steps ({@link NoiseCalibration}).
 *
 * <p>What the guarantee covers: the sequence of critic weights (so everything the coordinator
 * receives from this designer) with respect to adding or removing one pair, <em>given</em> the
 * fakes. The fakes come from her generator, which trains without DP on her pairs and never leaves
 * the node; its influence on the critic through the fake half is not accounted (docs/privacy.md).
 * BatchNorm running statistics are data-dependent, not private, and never leave the node.
 *
 * <p>Not thread-safe; one per trainer.
 */
public final class CriticDpSgd {
    private final DpSgdSettings settings;
    private final int records;
    private final double q;
    private final double sigma;
    private final RandomBits bits;
    private final GaussianSampler noise;
    private RdpAccountant accountant = RdpAccountant.create();
    private double snrSum;
    private long snrCount;

    private CriticDpSgd(DpSgdSettings settings, int records, double q, double sigma, RandomBits bits) {
        this.settings = settings;
        this.records = records;
        this.q = q;
        this.sigma = sigma;
        this.bits = bits;
        this.noise = new GaussianSampler(bits);
    }

    /**
     * @param records   the designer's training pairs {@code N >= 1}
     * @param batchSize the expected batch {@code qN} (the trainer's batch size)
     * @param bits      randomness of sampling and noise ({@link RandomBits#secure()} outside tests)
     */
    public static CriticDpSgd plan(DpSgdSettings settings, int records, int batchSize, RandomBits bits) {
        Objects.requireNonNull(settings, "settings");
        if (records < 1 || batchSize < 1) {
            throw new IllegalArgumentException(
                    "DP-SGD needs >= 1 record and batch >= 1, got " + records + " and " + batchSize);
        }
        double q = Math.min(1.0, (double) batchSize / records);
        double z = settings.dp().noiseMultiplier() > 0
                ? settings.dp().noiseMultiplier()
                : NoiseCalibration.sigmaForTarget(
                        settings.dp().targetEpsilon(), settings.dp().delta(), q, settings.plannedSteps());
        return new CriticDpSgd(settings, records, q, z, Objects.requireNonNull(bits, "bits"));
    }

    /** The records (indices in {@code [0, N)}) of one step, Poisson-sampled at rate {@code q}; may be empty. */
    public int[] sampleBatch() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            if (bits.nextUnit() < q) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The privatised critic gradient of one step, without touching the weights (BatchNorm running
     * statistics do move: every microbatch is a training-mode forward).
     *
     * @param real real Gram stacks of the sampled records {@code [P, K, S, S]} (null when P = 0)
     * @param fake fake Gram stacks of the same records' garments, same shape (null when P = 0)
     * @param decorrWeight FedDecorr β (0 = off)
     */
    public Step privatise(SketchGan gan, NDArray real, NDArray fake, float decorrWeight) {
        return privatise(gan, real, fake, decorrWeight, List.of());
    }

    /**
     * As {@link #privatise(SketchGan, NDArray, NDArray, float)}, with {@code gradients}: sampled
     * records whose critic gradient is given ({@link #flatten}'s layout; the audit's gradient
     * canaries), clipped and noised with the rest.
     */
    public Step privatise(SketchGan gan, NDArray real, NDArray fake, float decorrWeight, List<float[]> gradients) {
        List<Parameter> params = trainable(gan);
        int dim = 0;
        for (Parameter p : params) {
            dim += Math.toIntExact(p.getArray().size());
        }
        int count = real == null ? 0 : Math.toIntExact(real.getShape().get(0));
        for (float[] g : gradients) {
            if (g.length != dim) {
                throw new IllegalArgumentException(
                        "a given record gradient has " + g.length + " weights, the critic " + dim);
            }
        }
        if (fake != null && (real == null || !fake.getShape().equals(real.getShape()))) {
            throw new IllegalArgumentException("real and fake critic inputs differ: "
                    + (real == null ? null : real.getShape()) + " vs " + fake.getShape());
        }
        float[][] perExample = new float[count][];
        double[] norms = new double[count];
        double dLoss = 0;
        double decorr = 0;
        if (count > 0) {
            Shape one = new Shape(1).addAll(real.getShape().slice(1));
            float[] realHost = real.toFloatArray();
            float[] fakeHost = fake.toFloatArray();
            int width = Math.toIntExact(one.size());
            for (int i = 0; i < count; i++) {
                zero(params);
                try (NDManager em = gan.manager().newSubManager()) {
                    NDArray in =
                            em.create(row(realHost, i, width), one).concat(em.create(row(fakeHost, i, width), one), 0);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDList out = gan.criticize(in, true);
                        NDArray scores = out.get(0);
                        NDArray loss = SketchLosses.criticHinge(scores.get("0:1"), scores.get("1:"));
                        dLoss += loss.getFloat();
                        if (decorrWeight > 0) {
                            NDArray dc = FedDecorr.loss(out.get(1));
                            decorr += dc.getFloat();
                            loss = loss.add(Scalars.mul(dc, decorrWeight));
                        }
                        gc.backward(loss);
                    }
                    perExample[i] = gradients(params, dim);
                    norms[i] = norm(perExample[i]);
                }
            }
            zero(params);
        }
        if (!gradients.isEmpty()) {
            perExample = java.util.stream.Stream.concat(Arrays.stream(perExample), gradients.stream())
                    .toArray(float[][]::new);
            norms = java.util.stream.DoubleStream.concat(
                            Arrays.stream(norms), gradients.stream().mapToDouble(CriticDpSgd::norm))
                    .toArray();
        }
        double c = settings.dp().clipNorm();
        double expected = q * records;
        float[] noisy = DpSgd.noisyGradient(perExample, dim, c, sigma, expected, noise);
        // The signal alone (no noise) for the signal-to-noise ratio: ||sum of clipped|| / (z C sqrt(d)).
        float[] clean = DpSgd.noisyGradient(perExample, dim, c, 0, expected, noise);
        double signal = norm(clean) * expected;
        double noiseNorm = sigma * c * Math.sqrt(dim);
        return new Step(
                noisy,
                norms,
                count == 0 ? 0 : dLoss / count,
                count == 0 ? 0 : decorr / count,
                noiseNorm == 0 ? Double.POSITIVE_INFINITY : signal / noiseNorm);
    }

    /**
     * Installs {@code step}'s gradient on the critic, adds the gradient of {@code extraLoss} (the
     * FedProx term, a function of the weights only; null for none) and steps {@code optimizer}; counts
     * one step for the accountant.
     *
     * @return the extra loss' value (0 without one)
     */
    public double apply(SketchGan gan, Step step, ParamOptimizer optimizer, Function<NDManager, NDArray> extraLoss) {
        List<Parameter> params = trainable(gan);
        zero(params);
        double extra = 0;
        try (NDManager sm = gan.manager().newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // d/dθ Σ θ·g = g: the privatised gradient lands in the weights' gradient buffers.
                NDArray surrogate = null;
                int off = 0;
                for (Parameter p : params) {
                    NDArray a = p.getArray();
                    int n = Math.toIntExact(a.size());
                    NDArray g = sm.create(range(step.gradient(), off, n), a.getShape());
                    off += n;
                    NDArray term = g.mul(a).sum(); // g first: the product belongs to the step's manager
                    surrogate = surrogate == null ? term : surrogate.add(term);
                }
                if (extraLoss != null) {
                    NDArray e = extraLoss.apply(sm);
                    extra = e.getFloat();
                    surrogate = surrogate.add(e);
                }
                gc.backward(surrogate);
            }
        }
        optimizer.step();
        accountant = accountant.compose(q, sigma, 1);
        snrSum += step.snr();
        snrCount++;
        return extra;
    }

    /**
     * Accounts {@code steps} critic steps an earlier run of the same training took at this plan's
     * {@code (q, z)} (a resumed {@code atelier sketch train}), and their mean signal-to-noise ratio
     * ({@code NaN} when unknown), so epsilon is what the whole training spent.
     */
    public void resumeAfter(long steps, double meanSnr) {
        if (steps < 0 || accountant.steps() > 0) {
            throw new IllegalStateException("resumeAfter needs steps >= 0 before any step, got " + steps);
        }
        if (steps > 0) {
            accountant = accountant.compose(q, sigma, steps);
            if (!Double.isNaN(meanSnr)) {
                snrSum = meanSnr * steps;
                snrCount = steps;
            }
        }
    }

    /** Epsilon spent so far at the settings' delta. */
    public PrivacySpent spent() {
        return accountant.spent(settings.dp().delta());
    }

    /** Critic steps accounted so far. */
    public long steps() {
        return accountant.steps();
    }

    /** Mean signal-to-noise ratio over the steps so far ({@code ||Σ clip(g_i)|| / (z C sqrt(d))}); NaN before any. */
    public double meanSnr() {
        return snrCount == 0 ? Double.NaN : snrSum / snrCount;
    }

    public double samplingRate() {
        return q;
    }

    public double noiseMultiplier() {
        return sigma;
    }

    public DpSgdSettings settings() {
        return settings;
    }

    /** The training pairs this was planned for. */
    public int records() {
        return records;
    }

    /**
     * One privatised step.
     *
     * @param gradient the noisy mean gradient over every trainable critic weight, in
     *                 {@code discriminatorParameters()} order
     * @param rawNorms each sampled record's gradient L2 norm before clipping
     * @param dLoss    mean hinge loss of the microbatches (0 for an empty batch)
     * @param decorr   mean FedDecorr loss of the microbatches
     * @param snr      {@code ||Σ clip(g_i)|| / (z C sqrt(d))}, +inf without noise
     */
    public record Step(float[] gradient, double[] rawNorms, double dLoss, double decorr, double snr) {}

    /**
     * {@code gradient} (critic tensors by name, any subset of the trainable ones) as one flat vector
     * in the layout of the per-record gradients here: the critic's trainable weights in order, zeros
     * for the tensors it leaves out.
     *
     * @throws IllegalArgumentException for a name that is no trainable critic weight or a wrong size
     */
    public static float[] flatten(SketchGan gan, ParamSet gradient) {
        Map<String, Parameter> all = gan.discriminatorParameters();
        int dim = 0;
        for (Parameter p : trainable(gan)) {
            dim += Math.toIntExact(p.getArray().size());
        }
        float[] flat = new float[dim];
        java.util.Set<String> used = new java.util.HashSet<>();
        int off = 0;
        for (var e : all.entrySet()) {
            if (!e.getValue().requiresGradient()) {
                continue;
            }
            int n = Math.toIntExact(e.getValue().getArray().size());
            if (gradient.contains(e.getKey())) {
                float[] v = gradient.get(e.getKey()).toFloats();
                if (v.length != n) {
                    throw new IllegalArgumentException(
                            "gradient " + e.getKey() + " has " + v.length + " values, the weight " + n);
                }
                System.arraycopy(v, 0, flat, off, n);
                used.add(e.getKey());
            }
            off += n;
        }
        if (used.size() != gradient.size()) {
            java.util.Set<String> unknown = new java.util.TreeSet<>(gradient.names());
            unknown.removeAll(used);
            throw new IllegalArgumentException("not trainable critic weights: " + unknown);
        }
        return flat;
    }

    /**
     * Adds {@code scale · flat} ({@link #flatten}'s layout) to the critic's gradient buffers, as if
     * one more record's gradient had been back-propagated (the plain, non-DP step).
     */
    public static void addToGradients(SketchGan gan, NDManager manager, float[] flat, double scale) {
        int off = 0;
        for (Parameter p : trainable(gan)) {
            NDArray a = p.getArray();
            int n = Math.toIntExact(a.size());
            float[] part = new float[n];
            for (int k = 0; k < n; k++) {
                part[k] = (float) (flat[off + k] * scale);
            }
            off += n;
            try (NDArray g = a.getGradient()) {
                g.addi(manager.create(part, a.getShape()));
            }
        }
    }

    private static List<Parameter> trainable(SketchGan gan) {
        return gan.discriminatorParameters().values().stream()
                .filter(Parameter::requiresGradient)
                .toList();
    }

    private static void zero(List<Parameter> params) {
        for (Parameter p : params) {
            NDArray a = p.getArray();
            if (a.hasGradient()) {
                try (NDArray g = a.getGradient()) {
                    g.subi(g);
                }
            }
        }
    }

    private static float[] gradients(List<Parameter> params, int dim) {
        float[] flat = new float[dim];
        int off = 0;
        for (Parameter p : params) {
            NDArray a = p.getArray();
            int n = Math.toIntExact(a.size());
            if (a.hasGradient()) {
                try (NDArray g = a.getGradient()) {
                    System.arraycopy(g.toFloatArray(), 0, flat, off, n);
                }
            }
            off += n;
        }
        return flat;
    }

    private static float[] row(float[] all, int row, int width) {
        return range(all, row * width, width);
    }

    private static float[] range(float[] all, int from, int n) {
        float[] out = new float[n];
        System.arraycopy(all, from, out, 0, n);
        return out;
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}
