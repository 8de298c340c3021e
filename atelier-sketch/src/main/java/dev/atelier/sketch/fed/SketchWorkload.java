package dev.atelier.sketch.fed;

import dev.atelier.core.aggregate.AggregationMath;
import dev.atelier.core.message.Config;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.core.util.Cancellation;
import dev.atelier.core.workload.Workload;
import dev.atelier.sketch.eval.L1Distance;
import dev.atelier.sketch.eval.Ssim;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.StepMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One designer's node-side FedGAI work; owns the designer's {@link SketchTrainer} and data.
 *
 * <ul>
 *   <li>{@code TRAIN}: warm up the generator once (first round only), load the received shared
 *       critic ({@code disc.**} without BatchNorm), personalised by {@code critic_mix} when below 1 (or by
 *       her pair count under {@code critic_shrinkage}), run {@code local_steps} (default
 *       {@value SketchKeys#DEFAULT_LOCAL_STEPS}) GAN steps with FedProx's term when
 *       {@code proximal_mu > 0}, reply with the critic's parameters and the mean step metrics,
 *       weighted by the number of training pairs (1 with {@code critic_equal_weights}); critic
 *       layers named by {@code critic_personal} are neither loaded nor sent. The node's outbound filter
 *       ({@link SketchSharing#outbound}) decides what of the reply leaves: BatchNorm never does.</li>
 *   <li>{@code EVALUATE}: the generator's sketches of the designer's local held-out garments
 *       ({@link LocalHoldOut}: every 10th pair, never trained on) scored against their reference
 *       sketches: {@code l1} ({@link L1Distance}, lower is better) and {@code ssim} ({@link Ssim},
 *       higher is better), weighted by the number of held-out pairs. A designer without held-out
 *       pairs (unpaired or fewer than 10) fails the task with that reason. The critic sent with
 *       the instruction is not used: the generator, which never leaves the node, is scored.</li>
 *   <li>{@code ANALYTICS}: reply with the designer's own style card ({@code style.**}); it leaves the node only
 *       if the designer's filter opts in.</li>
 * </ul>
 * After each training round the full local model is saved to {@code stateDir/model.safetensors}
 * when a state folder is given. Warm-up and local steps stop between steps once the instruction's
 * {@link Cancellation} is cancelled. Called by one thread at a time; owns native memory ({@link #close()}).
 */
public final class SketchWorkload implements Workload, AutoCloseable {
    /** File name of the local model in the state folder. */
    public static final String MODEL_FILE = "model.safetensors";

    private final String designer;
    private final SketchTrainer trainer;
    private final Path stateDir;
    private final LocalHoldOut heldOut;
    private Consumer<StepMetrics> onStep;
    /** Warm-up steps still due (a warm-up stopped by the round deadline resumes next round). */
    private int warmupLeft;

    private StepMetrics lastRound;

    /**
     * @param designer    the designer's name (checkpoint metadata, logs); replies carry the
     *                    instruction's node id
     * @param warmupSteps generator warm-up steps run before the first round
     * @param stateDir    where to save the local model after each round, or null
     */
    public SketchWorkload(String designer, SketchTrainer trainer, int warmupSteps, Path stateDir) {
        this(designer, trainer, warmupSteps, stateDir, LocalHoldOut.none());
    }

    /**
     * @param heldOut pairs the trainer's data does not contain, scored by EVALUATE (see
     *                {@link LocalHoldOut#split})
     */
    public SketchWorkload(
            String designer, SketchTrainer trainer, int warmupSteps, Path stateDir, LocalHoldOut heldOut) {
        this.heldOut = Objects.requireNonNull(heldOut, "heldOut (use LocalHoldOut.none())");
        this.designer = Objects.requireNonNull(designer, "designer");
        this.trainer = Objects.requireNonNull(trainer, "trainer");
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
        }
        this.warmupLeft = warmupSteps;
        this.stateDir = stateDir;
    }

    public String designer() {
        return designer;
    }

    public SketchTrainer trainer() {
        return trainer;
    }

    /** Called after every local step (progress bars); null to stop. */
    public void setStepListener(Consumer<StepMetrics> onStep) {
        this.onStep = onStep;
    }

    /** Runs the generator warm-up now if it has not run yet; returns its mean metrics (zeros when skipped). */
    public StepMetrics warmup() {
        return warmup(Cancellation.none());
    }

    private StepMetrics warmup(Cancellation cancel) {
        if (warmupLeft == 0) {
            return StepMetrics.mean(java.util.List.of());
        }
        return trainer.warmup(
                warmupLeft,
                m -> {
                    warmupLeft--;
                    if (onStep != null) {
                        onStep.accept(m);
                    }
                },
                cancel);
    }

    /** Mean metrics of the last training round, or null before the first. */
    public StepMetrics lastRound() {
        return lastRound;
    }

    @Override
    public Reply handle(Instruction ins, Cancellation cancel) throws IOException {
        return switch (ins.kind()) {
            case TRAIN -> train(ins, cancel);
            case EVALUATE -> evaluate(ins);
            case ANALYTICS ->
                new Reply(
                        ins.nodeId(),
                        ins.round(),
                        trainer.ownStyleCard().toParamSet(),
                        trainer.data().size(),
                        Map.of(),
                        null);
            case SECAGG ->
                throw new IllegalArgumentException("secure aggregation stage reached the workload: the node"
                        + " runs without the SecAggNode middleware");
        };
    }

    /**
     * One round of local training outside any transport (local-only and centralized baselines):
     * warm-up if still due, then {@code steps} GAN steps from {@code critic} (any subset of
     * {@code disc.**}, or null to continue locally) with FedProx's {@code mu}.
     */
    public StepMetrics trainRound(int steps, ParamSet critic, float mu) {
        return trainRound(steps, critic, mu, Cancellation.none());
    }

    /** As {@link #trainRound(int, ParamSet, float)}, stopping between steps once {@code cancel} is cancelled. */
    private StepMetrics trainRound(int steps, ParamSet critic, float mu, Cancellation cancel) {
        warmup(cancel);
        lastRound = trainer.trainSteps(steps, critic, mu, onStep, cancel);
        return lastRound;
    }

    private Reply train(Instruction ins, Cancellation cancel) throws IOException {
        Config c = ins.config();
        int steps = c.getInt(TrainKeys.LOCAL_STEPS, SketchKeys.DEFAULT_LOCAL_STEPS);
        float mu = (float) c.getDouble(TrainKeys.PROXIMAL_MU, 0);
        double mix = c.getDouble(SketchKeys.CRITIC_MIX, 1);
        double shrinkage = c.getDouble(SketchKeys.CRITIC_SHRINKAGE, 0);
        checkShrinkage(shrinkage, mix);
        if (shrinkage > 0) {
            mix = shrinkageMix(shrinkage, trainer.data().size());
        }
        String personal = c.getString(SketchKeys.PERSONAL_CRITIC, "").strip();
        dev.atelier.core.filter.GlobFilter shared =
                personal.isEmpty() ? null : dev.atelier.core.filter.GlobFilter.exclude(personal.split("\\s*,\\s*"));
        int adapt = c.getInt(SketchKeys.CRITIC_ADAPT_STEPS, 0);
        if (adapt < 0 || (adapt > 0 && mu > 0)) {
            throw new IllegalArgumentException(SketchKeys.CRITIC_ADAPT_STEPS + " must be >= 0 and 0 with FedProx, got "
                    + adapt + " (proximal mu " + mu + ")");
        }
        ParamSet global = ins.params().isEmpty() ? null : ins.params();
        if (global != null && shared != null) {
            global = shared.process(global);
        }
        if (global != null && mix < 1) {
            global = mixCritic(global, trainer.model().discriminatorParams(), mix);
        }
        if (global != null && adapt > 0) {
            warmup(cancel);
            trainer.model().loadDiscriminator(global);
            trainer.criticSteps(adapt, cancel);
            global = null; // adapted: the GAN steps continue from her critic
        }
        trainRound(steps, global, mu, cancel);
        if (stateDir != null) {
            java.nio.file.Files.createDirectories(stateDir);
            trainer.fitToneCurve(); // the saved model is one she can generate with as it is
            trainer.model()
                    .save(
                            stateDir.resolve(MODEL_FILE),
                            Map.of("designer", designer, "round", Integer.toString(ins.round())));
        }
        Map<String, Double> metrics = new LinkedHashMap<>(lastRound.toMap());
        trainer.criticPrivacy().ifPresent(dp -> {
            // Per-sketch DP-SGD: what this designer's critic has spent so far (docs/privacy.md).
            metrics.put("dp_sgd_epsilon", dp.spent().epsilon());
            metrics.put("dp_sgd_snr", dp.meanSnr());
        });
        return new Reply(
                ins.nodeId(),
                ins.round(),
                shared == null
                        ? trainer.model().discriminatorParams()
                        : shared.process(trainer.model().discriminatorParams()),
                c.getBoolean(SketchKeys.EQUAL_CRITIC_WEIGHTS, false)
                        ? 1
                        : trainer.data().size(),
                metrics,
                null);
    }

    /**
     * Refuses a {@link SketchKeys#CRITIC_SHRINKAGE} that is negative, not finite, or given with a
     * {@link SketchKeys#CRITIC_MIX} below 1: the coordinator's builder and every node's instruction
     * are checked by this one rule.
     */
    static void checkShrinkage(double shrinkage, double mix) {
        if (!(shrinkage >= 0) || Double.isInfinite(shrinkage) || (shrinkage > 0 && mix < 1)) {
            throw new IllegalArgumentException(SketchKeys.CRITIC_SHRINKAGE + " must be finite and >= 0, and 0 with "
                    + SketchKeys.CRITIC_MIX + " below 1, got " + shrinkage + " (mix " + mix + ")");
        }
    }

    /**
     * Her share of the global critic under {@link SketchKeys#CRITIC_SHRINKAGE}: {@code κ / (κ + n)}
     * for {@code n} training pairs (κ = 15: 0.2 at 60 pairs, 0.07 at 189).
     */
    static double shrinkageMix(double kappa, int pairs) {
        return kappa / (kappa + pairs);
    }

    /**
     * {@code mix · global + (1 − mix) · own} for every tensor of {@code global} (the shared critic
     * weights); {@code own} must hold them all with the same shapes.
     */
    static ParamSet mixCritic(ParamSet global, ParamSet own, double mix) {
        if (!(mix >= 0 && mix <= 1)) {
            throw new IllegalArgumentException(SketchKeys.CRITIC_MIX + " must be in [0, 1], got " + mix);
        }
        ParamSet.Builder b = ParamSet.builder();
        for (var e : global.asMap().entrySet()) {
            Tensor mine = own.contains(e.getKey()) ? own.get(e.getKey()) : null;
            if (mine == null || !mine.sameSpec(e.getValue())) {
                throw new IllegalArgumentException("global critic tensor '" + e.getKey() + "' " + e.getValue()
                        + " does not match this designer's " + mine);
            }
            // The aggregators' kernel: a weighted sum in double, encoded back to the tensor's dtype.
            Tensor g = e.getValue();
            double[] acc = new double[Math.toIntExact(g.numElements())];
            AggregationMath.addScaled(acc, g.data(), g.dtype(), mix);
            AggregationMath.addScaled(acc, mine.data(), mine.dtype(), 1 - mix);
            b.put(e.getKey(), AggregationMath.encode(g.dtype(), g.shape(), AggregationMath.scaledCopy(acc, 1)));
        }
        return b.build();
    }

    private Reply evaluate(Instruction ins) {
        if (heldOut.isEmpty()) {
            throw new IllegalStateException("designer " + designer + " has no held-out pairs to evaluate on ("
                    + (trainer.data().paired() ? "fewer than 10 pairs" : "unpaired data has no reference sketches")
                    + "); it trains on all " + trainer.data().size() + " examples");
        }
        List<float[]> generated =
                Arrays.asList(trainer.generate(heldOut.garments().toArray(new float[0][])));
        return new Reply(
                ins.nodeId(),
                ins.round(),
                ParamSet.empty(),
                heldOut.size(),
                Map.of(
                        "l1", L1Distance.mean(generated, heldOut.sketches()),
                        "ssim", Ssim.mean(generated, heldOut.sketches())),
                null);
    }

    /** Pairs EVALUATE scores (empty when the designer holds none out). */
    public LocalHoldOut heldOut() {
        return heldOut;
    }

    @Override
    public void close() {
        trainer.close();
    }
}
