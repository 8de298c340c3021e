package dev.atelier.sketch.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.util.Cancellation;
import dev.atelier.ml.nn.Images;
import dev.atelier.ml.nn.ParamOptimizer;
import dev.atelier.ml.nn.layers.Scalars;
import dev.atelier.ml.train.ProximalTerm;
import dev.atelier.sketch.model.GramMatrix;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.StyleCard;
import dev.atelier.sketch.model.ToneCurve;
import dev.atelier.sketch.privacy.CriticDpSgd;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One designer's local trainer: the designer's {@link SketchGan} (generator, critic, BatchNorm
 * statistics), two Adam optimizers and the designer's data; everything here stays on the node.
 *
 * <p>A GAN step (batch {@code B}, garments {@code x}, reference sketches {@code y}; with unpaired
 * data {@code y} is sampled independently, and so it is for her unsketched garments
 * ({@link SketchPairs#unsketched()}), which fill at most half of a batch beside her pairs):
 * <pre>
 *   fake = G(AdaIN_SD(E(x)))                                      one generator forward, kept for both updates
 *   critic:    L_D = hinge(D([Gram(E(y)); Gram(E(fake)).detach()])) + β·FedDecorr([f_real; f_fake]) + (μ/2)‖θ_D − θ_D^g‖²
 *   generator: L_G = w_adv·(−mean D(Gram(E(fake)))) + w_gram·Σ_s f_s·MSE(Gram_s(fake), Gram_s(y))
 *                    + w_sem·(1 − cos(emb(fake), emb(y or x))) + w_content·MSE(IN(E_1(fake)), IN(E_1(x)))
 *                    + w_l1·|fake − y| + w_density·|pool(fake) − pool(y)|  (her pairs only; pool = means over canvas/8 windows)
 *                    + w_ink·m·d²·|sort(fake) − sort(y)|  (grey levels, position-free)
 * </pre>
 * The per-scale factors {@code f_s} come from the designer's own training sketches
 * ({@link TrainerSettings#gramBalance()}, computed once when the trainer is built; all 1 for
 * {@link GramBalance#NONE}); {@code m} is her sketches' mid-grey share of ink ({@link InkStats}) and
 * {@code d} how much of her mid-grey her model leaves out after the warm-up ({@link #inkDeficit()}).
 * The critic sees real and fake in one batch of {@code 2B} (BatchNorm statistics over both, as in
 * BigGAN) and is updated first, then the generator against the updated critic. Everything that
 * only depends on the frozen encoder and the data ({@link RealFeatures}) is computed once per
 * designer unless {@link TrainerSettings#cacheFeatures()} is off. Each step runs in its
 * own NDManager sub-manager; the JVM's single gradient collector is opened twice per step, never
 * concurrently. Batches are drawn with a seeded {@link SplittableRandom}, weights are seeded at model
 * creation, so a run is repeatable as far as PyTorch's CPU kernels are deterministic.
 *
 * <p>Owns the model ({@link #close()} closes it). Not thread-safe.
 */
public final class SketchTrainer implements AutoCloseable {
    private final SketchGan gan;
    private final SketchPairs data;
    /** {@link SketchPairs#trainingGarments()}, built once. */
    private final List<float[]> trainingGarments;

    private final TrainerSettings settings;
    private final ParamOptimizer genOpt;
    private final ParamOptimizer discOpt;
    private final SplittableRandom rng;
    private long steps;
    private FeatureCache cache;
    private final StyleCard ownCard;
    /** Per-sketch DP-SGD of the critic, or null (plain batched critic step). */
    private final CriticDpSgd criticDp;
    /** CPU time per step part, or null (not measured). */
    private final StepProfile profile;
    /** Records only the critic trains on ({@link Builder#optCriticOnlyRecords}); usually none. */
    private final CriticOnlySampler criticOnly;

    private final float[] gramFactors;
    /** Her sketches' grey levels ({@link InkStats}), measured once from her data. */
    private final InkStats inkStats;
    /** Her pixel L1 weight ({@link TrainerSettings#l1Weight}): raised when her ink is crisp. */
    private final float l1Weight;
    /**
     * The ink-distribution term's weight for her: 0 until the first GAN step, then {@code w_ink}
     * times her mid-grey share times the square of her model's grey deficit ({@link #inkDeficit()}).
     */
    private float inkWeight;
    /** Share of her mid-grey pixels her model fails to draw, measured at the first GAN step; NaN before. */
    private double inkDeficit = Double.NaN;
    /** The generator's weight average ({@link TrainerSettings#genEma()}), or null when off. */
    private final GeneratorAverage average;

    private SketchTrainer(Builder b) {
        this.gan = Objects.requireNonNull(b.model, "model");
        this.data = Objects.requireNonNull(b.data, "data");
        this.trainingGarments = data.trainingGarments();
        this.settings = b.settings == null ? TrainerSettings.defaults(0) : b.settings;
        if (gan.styleCard() == null) {
            gan.setStyleCard(gan.computeStyleCard(data.sketches()));
        }
        this.ownCard = gan.styleCard();
        this.gramFactors = settings.gramBalance() == GramBalance.NONE
                ? null
                : settings.gramBalance().factors(GramStats.of(gan, data.sketches()));
        InkStats hers = InkStats.of(data.sketches());
        this.inkStats = settings.weights().ink() > 0 ? hers : null;
        this.l1Weight = settings.l1Weight(hers);
        this.genOpt =
                ParamOptimizer.adam(gan.generatorParameters(), settings.genLr(), settings.beta1(), settings.beta2());
        this.discOpt = ParamOptimizer.adam(
                gan.discriminatorParameters(), settings.discLr(), settings.beta1(), settings.beta2());
        this.rng = new SplittableRandom(settings.seed());
        this.average = settings.genEma() > 0 ? new GeneratorAverage(gan, settings.genEma()) : null;
        this.criticDp = b.criticDp;
        this.profile = b.profile;
        this.criticOnly = new CriticOnlySampler(
                b.criticOnly, gan, data.size(), data.sketches().get(0).length, settings.seed());
        int records = criticOnly.totalRecords();
        if (criticDp != null && criticDp.records() != records) {
            throw new IllegalArgumentException(
                    "DP-SGD was planned for " + criticDp.records() + " records, the trainer has " + records
                            + (criticOnly.isEmpty() ? "" : " (" + (records - data.size()) + " of them critic-only)"));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public SketchGan model() {
        return gan;
    }

    public SketchPairs data() {
        return data;
    }

    public TrainerSettings settings() {
        return settings;
    }

    /**
     * The designer's own style card (computed from the training sketches when the trainer was
     * built), unaffected by later {@link SketchGan#setStyleCard} calls such as blends.
     */
    public StyleCard ownStyleCard() {
        return ownCard;
    }

    /** The critic's per-sketch DP-SGD (epsilon spent, SNR), or empty when the critic trains without DP. */
    public java.util.Optional<CriticDpSgd> criticPrivacy() {
        return java.util.Optional.ofNullable(criticDp);
    }

    /** The Gram loss's per-scale factors (finest first) for this designer; all 1 without balancing. */
    public float[] gramFactors() {
        if (gramFactors == null) {
            float[] one = new float[gan.encoder().channels().length];
            java.util.Arrays.fill(one, 1f);
            return one;
        }
        return gramFactors.clone();
    }

    /**
     * Her effective ink-distribution weight: {@code w_ink} × her mid-grey share × her model's grey
     * deficit², fixed at the first GAN step (0 before it, and always 0 when {@code w_ink} is 0).
     */
    public float inkWeight() {
        return inkWeight;
    }

    /**
     * How much of her mid-grey ink her model leaves out ({@link InkStats#greyDeficit}): measured once,
     * at the first GAN step (after the warm-up), on up to {@value #INK_PROBE} of her garments against
     * all her sketches; NaN before that or when the term is off. The ink term only acts where pixel
     * L1 has demonstrably averaged her greys away (faint strokes whose place is uncertain), not where
     * it already draws them (strokes that follow the garment's shading).
     */
    public double inkDeficit() {
        return inkDeficit;
    }

    /** Garments her model draws to measure its grey deficit (the first ones of her data). */
    static final int INK_PROBE = 64;

    private void measureInkDeficit() {
        int n = Math.min(INK_PROBE, data.garments().size());
        float[][] probe = data.garments().subList(0, n).toArray(new float[0][]);
        inkDeficit = inkStats.greyDeficit(InkStats.of(List.of(gan.generate(probe))));
        // Squared: a model that keeps most of her greys (strokes that follow the garment's shading)
        // gets little of the position-free term, one that drops them (faint strokes) gets most of it.
        inkWeight = (float) (settings.weights().ink() * inkStats.midGrey() * inkDeficit * inkDeficit);
    }

    /** Steps taken so far (warm-up included). */
    public long steps() {
        return steps;
    }

    /**
     * Generator warm-up before federation: {@code steps} generator-only steps on the
     * non-adversarial terms (Gram, semantic, content, L1); the critic is not touched, so the
     * federation's round 1 starts every designer from the same global critic.
     *
     * @param onStep called after every step, may be null
     * @return the mean metrics over these steps
     */
    public StepMetrics warmup(int steps, Consumer<StepMetrics> onStep) {
        return warmup(steps, onStep, Cancellation.none());
    }

    /** As {@link #warmup(int, Consumer)}, stopping between steps once {@code cancel} is cancelled. */
    public StepMetrics warmup(int steps, Consumer<StepMetrics> onStep, Cancellation cancel) {
        return run(steps, null, 0f, false, onStep, cancel);
    }

    /** Local GAN steps without federation (local-only training). */
    public StepMetrics trainSteps(int steps, Consumer<StepMetrics> onStep) {
        return run(steps, null, 0f, true, onStep, Cancellation.none());
    }

    /**
     * Local GAN steps of one federated round: loads {@code globalDisc} (shared critic weights, any
     * subset of {@code disc.**}) into the critic, then trains, adding the FedProx term against
     * those global values when {@code proximalMu > 0}.
     *
     * @param globalDisc the round's global critic, or null to continue from the local one
     */
    public StepMetrics trainSteps(int steps, ParamSet globalDisc, float proximalMu, Consumer<StepMetrics> onStep) {
        return trainSteps(steps, globalDisc, proximalMu, onStep, Cancellation.none());
    }

    /**
     * As {@link #trainSteps(int, ParamSet, float, Consumer)}, checking {@code cancel} before every
     * step: a cancelled token stops the round between steps with a
     * {@link java.util.concurrent.CancellationException} (steps already taken stay applied).
     */
    public StepMetrics trainSteps(
            int steps, ParamSet globalDisc, float proximalMu, Consumer<StepMetrics> onStep, Cancellation cancel) {
        if (proximalMu < 0 || Float.isNaN(proximalMu)) {
            throw new IllegalArgumentException("proximal mu must be >= 0, got " + proximalMu);
        }
        if (globalDisc != null) {
            gan.loadDiscriminator(globalDisc);
        }
        return run(steps, globalDisc, proximalMu, true, onStep, cancel);
    }

    /**
     * Critic-only steps from the current critic (the generator is not updated, its step count does
     * not move): how a designer adapts a received shared critic to her sketches before her GAN steps.
     */
    public StepMetrics criticSteps(int count, Cancellation cancel) {
        if (average != null) {
            average.resumeTraining();
        }
        List<StepMetrics> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            cancel.throwIfCancelled();
            all.add(step(true, null, 0f, false));
        }
        return StepMetrics.mean(all);
    }

    /** Sketches (32×32, [0,1]) for garments (28×28 or 32×32, [0,1]), inference mode. */
    public float[][] generate(float[][] garments) {
        return gan.generate(garments);
    }

    private StepMetrics run(
            int count,
            ParamSet anchor,
            float mu,
            boolean adversarial,
            Consumer<StepMetrics> onStep,
            Cancellation cancel) {
        if (count < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + count);
        }
        List<StepMetrics> all = new ArrayList<>(count);
        if (average != null) {
            average.resumeTraining();
        }
        if (adversarial && count > 0 && inkStats != null && Double.isNaN(inkDeficit)) {
            measureInkDeficit();
        }
        ProximalTerm prox = mu > 0 && anchor != null && !anchor.isEmpty()
                ? new ProximalTerm(gan.discriminatorParameters(), anchor, gan.manager())
                : null;
        try {
            for (int i = 0; i < count; i++) {
                cancel.throwIfCancelled();
                StepMetrics m = step(adversarial, prox, mu, true);
                all.add(m);
                steps++;
                if (onStep != null) {
                    onStep.accept(m);
                }
            }
        } finally {
            if (prox != null) {
                prox.close();
            }
            if (average != null) {
                average.showAverage();
            }
        }
        return StepMetrics.mean(all);
    }

    private int[] sample(int size) {
        return sampleBatch(rng, size, settings.batchSize());
    }

    /**
     * One step's rows: garment {@code garments[k]} of {@link SketchPairs#trainingGarments()} with
     * sketch {@code sketches[k]}; the first {@code pairedRows} are her pairs (equal indices).
     */
    record Batch(int[] garments, int[] sketches, int pairedRows) {}

    private Batch drawBatch() {
        if (!data.paired()) {
            int[] gi = sample(data.garments().size());
            return new Batch(gi, sample(data.sketches().size()), 0);
        }
        if (data.unsketched().isEmpty()) {
            int[] drawn = sample(data.garments().size());
            return new Batch(drawn, drawn, drawn.length);
        }
        return mixedBatch(rng, data.garments().size(), data.unsketched().size(), settings.batchSize());
    }

    /**
     * A batch of her pairs and unsketched garments. Her pairs fill at least half of it (their share
     * of her garments when larger), as semi-supervised training fixes the labelled share: drawn
     * uniformly, 200 photos beside 12 sketches would leave the pixel terms almost no pair. The
     * pairs' row count is {@code rows × share} rounded stochastically (so the expected share is
     * exact and a few unsketched garments beside many pairs are still drawn; no draw is spent when
     * it is a whole number). An unsketched row gets a sketch of hers drawn at random: the Gram target
     * and the critic's real side then match her style in distribution. Her pairs lead the batch.
     */
    static Batch mixedBatch(SplittableRandom rng, int pairs, int unsketched, int batchSize) {
        int rows = Math.min(batchSize, Math.max(pairs + unsketched, 2));
        double wanted = rows * Math.max(0.5, (double) pairs / (pairs + unsketched));
        int fromPairs = (int) Math.floor(wanted);
        double fraction = wanted - fromPairs;
        if (fraction > 0 && rng.nextDouble() < fraction) {
            fromPairs++;
        }
        int[] gi = new int[rows];
        int[] si = new int[rows];
        for (int k = 0; k < rows; k++) {
            if (k < fromPairs) {
                gi[k] = rng.nextInt(pairs);
                si[k] = gi[k];
            } else {
                gi[k] = pairs + rng.nextInt(unsketched);
                si[k] = rng.nextInt(pairs);
            }
        }
        return new Batch(gi, si, fromPairs);
    }

    /**
     * The indices of one batch as the trainer draws them: {@code min(batchSize, max(size, 2))}
     * draws of {@code rng.nextInt(size)}, with replacement. Public so a replay (the PyTorch bench)
     * reproduces the exact batches from the trainer's seed.
     */
    public static int[] sampleBatch(SplittableRandom rng, int size, int batchSize) {
        int[] idx = new int[Math.min(batchSize, Math.max(size, 2))];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = rng.nextInt(size);
        }
        return idx;
    }

    private RealFeatures realFeatures(NDManager sm, int[] gi, int[] si, int pairedRows) {
        if (!settings.cacheFeatures()) {
            return RealFeatures.compute(
                    gan, Images.batch(sm, trainingGarments, gi), Images.batch(sm, data.sketches(), si), pairedRows);
        }
        if (cache == null || cache.card() != gan.styleCard()) {
            releaseCache();
            cache = FeatureCache.build(gan, data);
        }
        return cache.gather(sm, gi, si);
    }

    /**
     * Fits her model's tone curve ({@link SketchGan#fitToneCurve}) on her own training garments and
     * sketches, as the generator (its weight average, when on) stands now; call once training is
     * over, before the model is saved or used.
     */
    public ToneCurve fitToneCurve() {
        return gan.fitToneCurve(data.garments(), data.sketches());
    }

    /** Frees the encoded-data cache (it is rebuilt on the next step); useful once training is over. */
    public void releaseCache() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }

    private StepMetrics step(boolean adversarial, ProximalTerm prox, float mu, boolean updateGenerator) {
        LossWeights w = settings.weights();
        Batch batch = drawBatch();
        int[] gi = batch.garments();
        int[] si = batch.sketches();
        int pairedRows = batch.pairedRows();
        if (profile != null) {
            profile.begin();
        }
        try (NDManager sm = gan.manager().newSubManager()) {
            RealFeatures real = realFeatures(sm, gi, si, pairedRows);
            mark(StepProfile.Part.BATCH);
            double dLoss = 0;
            double decorr = 0;
            double proxValue = 0;
            int[] extra = adversarial && criticDp == null ? criticOnly.draw(gi.length) : new int[0];
            NDArray fake;
            NDList ef;
            List<NDArray> gramF;
            NDArray fakeStack = null;
            discOpt.zeroGradients();
            genOpt.zeroGradients();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                fake = gan.generator()
                        .forward(gan.store(), real.stylised(), true)
                        .singletonOrThrow();
                mark(StepProfile.Part.GENERATOR);
                ef = gan.encode(fake);
                gramF = GramMatrix.ofAll(ef);
                if (adversarial) {
                    fakeStack = GramMatrix.stack(gramF, gan.config().gramSize());
                }
                mark(StepProfile.Part.ENCODE_FAKE);
                if (adversarial && criticDp == null) {
                    // One critic pass over [real; fake] (as BigGAN does): half the per-op overhead.
                    NDArray realInput = criticOnly.withSketches(sm, real.criticInput(), extra);
                    NDList both = gan.criticize(realInput.concat(fakeStack.stopGradient(), 0), true);
                    int b = Math.toIntExact(realInput.getShape().get(0));
                    NDArray scores = both.get(0);
                    NDArray loss = SketchLosses.criticHinge(scores.get("0:" + b), scores.get(b + ":"));
                    dLoss = loss.getFloat();
                    if (w.decorr() > 0) {
                        NDArray dc = FedDecorr.loss(both.get(1));
                        decorr = dc.getFloat();
                        loss = loss.add(Scalars.mul(dc, w.decorr()));
                    }
                    if (prox != null) {
                        NDArray p = prox.compute(mu, fake);
                        proxValue = p.getFloat();
                        loss = loss.add(p);
                    }
                    mark(StepProfile.Part.CRITIC_LOSS);
                    gc.backward(loss);
                    mark(StepProfile.Part.CRITIC_BACKWARD);
                }
            }
            if (adversarial && criticDp != null) {
                CriticDpSgd.Step st = privateCriticStep(sm, w.decorr());
                dLoss = st.dLoss();
                decorr = st.decorr();
                proxValue = criticDp.apply(gan, st, discOpt, prox == null ? null : m -> prox.compute(mu, m.create(0f)));
            } else if (adversarial) {
                // one record's share of the batch mean, as her pairs' gradients have
                criticOnly.addGradients(sm, extra, 1.0 / gi.length);
                discOpt.step();
            }
            mark(StepProfile.Part.CRITIC_UPDATE);
            if (!updateGenerator) {
                return new StepMetrics(dLoss, 0, 0, 0, 0, 0, decorr, proxValue);
            }
            double gAdv = 0;
            double l1 = 0;
            double gram;
            double semantic;
            double content;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray gramLoss = SketchLosses.gram(gramF, real.grams(), gramFactors);
                NDArray semLoss = SketchLosses.semantic(gan.encoder().embedding(ef), real.semanticTarget());
                NDArray contentLoss = SketchLosses.content(ef.get(0), real.contentTarget());
                // Scalars.mul, not mul(float): see Scalars for the engine's use-after-free with constant factors.
                NDArray loss = Scalars.mul(gramLoss, w.gram())
                        .add(Scalars.mul(semLoss, w.semantic()))
                        .add(Scalars.mul(contentLoss, w.content()));
                gram = gramLoss.getFloat();
                semantic = semLoss.getFloat();
                content = contentLoss.getFloat();
                NDArray reference = pairedRows > 0 || inkWeight > 0 ? Images.batch(sm, data.sketches(), si) : null;
                if (pairedRows > 0) {
                    // the pixel terms compare her pairs only (they lead the batch)
                    boolean all = pairedRows == gi.length;
                    NDArray drawn = all ? fake : fake.get("0:" + pairedRows);
                    NDArray hers = all ? reference : reference.get("0:" + pairedRows);
                    NDArray l1Loss = SketchLosses.l1(drawn, hers);
                    l1 = l1Loss.getFloat() / 2;
                    loss = loss.add(Scalars.mul(l1Loss, l1Weight));
                    if (w.density() > 0) {
                        loss = loss.add(Scalars.mul(SketchLosses.densityL1(drawn, hers), w.density()));
                    }
                }
                if (inkWeight > 0) {
                    // Unpaired data: si is an independent draw, so this matches her grey levels in distribution.
                    loss = loss.add(Scalars.mul(SketchLosses.inkDistribution(fake, reference), inkWeight));
                }
                mark(StepProfile.Part.GENERATOR_LOSSES);
                if (adversarial) {
                    NDArray adv = SketchLosses.generatorHinge(
                            gan.criticize(fakeStack, true).get(0));
                    gAdv = adv.getFloat();
                    loss = loss.add(Scalars.mul(adv, w.adversarial()));
                }
                mark(StepProfile.Part.GENERATOR_ADVERSARIAL);
                gc.backward(loss);
                mark(StepProfile.Part.GENERATOR_BACKWARD);
            }
            genOpt.step();
            if (average != null) {
                average.update();
            }
            mark(StepProfile.Part.GENERATOR_UPDATE);
            return new StepMetrics(dLoss, gAdv, gram, semantic, content, l1, decorr, proxValue);
        } finally {
            if (profile != null) {
                profile.end(adversarial);
            }
        }
    }

    private void mark(StepProfile.Part part) {
        if (profile != null) {
            profile.mark(part);
        }
    }

    /**
     * The DP-SGD critic gradient ({@link CriticDpSgd}): a Poisson batch of records, each paired
     * with the fake of its own garment, computed outside any gradient collector (constants here).
     * Records past her pairs are the critic-only ones: a sketch is paired with the fake of one of
     * her garments in turn, a gradient is its record's gradient as it stands.
     */
    private CriticDpSgd.Step privateCriticStep(NDManager sm, float decorrWeight) {
        int[] p = criticDp.sampleBatch();
        if (p.length == 0) {
            return criticDp.privatise(gan, null, null, decorrWeight);
        }
        CriticOnlySampler.Split split = criticOnly.split(p);
        int[] own = split.own();
        int[] extra = split.sketches();
        List<float[]> gradients = split.gradients();
        if (own.length + extra.length == 0) {
            return criticDp.privatise(gan, null, null, decorrWeight, gradients);
        }
        int rows = own.length + extra.length;
        int[] gi = new int[rows];
        int[] si = new int[rows];
        for (int k = 0; k < rows; k++) {
            // her pairs first, then the critic-only records (their sketch row is replaced below)
            int r = k < own.length ? own[k] : extra[k - own.length];
            // Unpaired data: record k is garment k and sketch k, each set wrapped (as the feature cache does).
            gi[k] = r % data.garments().size();
            si[k] = r % data.sketches().size();
        }
        RealFeatures real = realFeatures(sm, gi, si, data.paired() ? rows : 0);
        NDArray fake = gan.generator()
                .forward(gan.store(), real.stylised(), true)
                .singletonOrThrow()
                .stopGradient();
        NDArray fakeInput = GramMatrix.stack(
                GramMatrix.ofAll(gan.encode(fake)), gan.config().gramSize());
        NDArray realInput = extra.length == 0
                ? real.criticInput()
                : own.length == 0
                        ? criticOnly.sketchInput(sm, extra)
                        : real.criticInput().get("0:" + own.length).concat(criticOnly.sketchInput(sm, extra), 0);
        return criticDp.privatise(gan, realInput, fakeInput, decorrWeight, gradients);
    }

    @Override
    public void close() {
        releaseCache();
        if (average != null) {
            average.close();
        }
        gan.close();
    }

    /** Builds a {@link SketchTrainer}; model and data are required. */
    public static final class Builder {
        private SketchGan model;
        private SketchPairs data;
        private TrainerSettings settings;
        private CriticDpSgd criticDp;
        private StepProfile profile;
        private CriticOnlyRecords criticOnly = CriticOnlyRecords.NONE;

        private Builder() {}

        /** Records only the critic trains on (the privacy audit's canaries; {@link CriticOnlyRecords}). */
        public Builder optCriticOnlyRecords(CriticOnlyRecords records) {
            this.criticOnly = java.util.Objects.requireNonNull(records, "records");
            return this;
        }

        /** Measure every step's CPU time per part into {@code profile} (see {@link StepProfile}). */
        public Builder optProfile(StepProfile profile) {
            this.profile = profile;
            return this;
        }

        /** Train the critic with per-sketch DP-SGD, planned for this trainer's data ({@link CriticDpSgd#plan}). */
        public Builder optCriticDp(CriticDpSgd dp) {
            this.criticDp = dp;
            return this;
        }

        /** The model to train; the trainer takes ownership. Without a style card, one is computed from the data. */
        public Builder setModel(SketchGan model) {
            this.model = model;
            return this;
        }

        public Builder setData(SketchPairs data) {
            this.data = data;
            return this;
        }

        public Builder optSettings(TrainerSettings settings) {
            this.settings = settings;
            return this;
        }

        public SketchTrainer build() {
            return new SketchTrainer(this);
        }
    }
}
