package dev.atelier.zo.fed;

import dev.atelier.core.message.Config;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.zo.train.TrainableScope;
import dev.atelier.zo.train.ZoSettings;

/**
 * The settings every party of a zeroth-order federation must agree on bit for bit, read from the
 * train config the coordinator sends with every instruction (so the coordinator's strategy and
 * every node parse the same strings the same way): local steps ({@code local_steps}), rows per
 * step ({@code batch_size}), base learning rate ({@code lr}), perturbation scale
 * ({@code zo.epsilon}), the bound on a reply's |g| ({@code zo.max_abs_g}), and three parts of the
 * update rule that every replay must repeat:
 * <ul>
 *   <li>{@code zo.lr_decay} γ ∈ (0, 1]: round r's learning rate is lr·γ^(r−1)
 *       ({@link StrictMath#pow}, so every machine computes the same double), 1 = constant;
 *   <li>{@code zo.perturbations} n ≥ 1: perturbations per local step, each its own assigned seed,
 *       all evaluated on the step's batch, the step moving by their mean (each pair replays with
 *       lr_r / n): so a node is assigned {@link #seedsPerRound} = steps·n seeds;
 *   <li>{@code zo.trainable}: which tensors are perturbed and updated ({@link TrainableScope}
 *       globs over checkpoint names; empty = all);
 *   <li>{@code zo.always_trainable}: under a block mask (ZorBA), the tensors every admitted node
 *       perturbs and updates besides its blocks ({@link UpdateScope}; rows allowed, outside every
 *       block; empty = none, the blocks alone).
 * </ul>
 * Immutable.
 */
public record ZoFedSettings(
        int steps,
        int batch,
        double lr,
        double epsilon,
        double maxAbsG,
        double lrDecay,
        int perturbations,
        TrainableScope scope,
        TrainableScope always) {
    public static final String EPSILON = "zo.epsilon";
    public static final String MAX_ABS_G = "zo.max_abs_g";
    public static final String LR_DECAY = "zo.lr_decay";
    public static final String PERTURBATIONS = "zo.perturbations";
    public static final String TRAINABLE = "zo.trainable";
    public static final String ALWAYS_TRAINABLE = "zo.always_trainable";

    public static final int DEFAULT_STEPS = 8;
    public static final int DEFAULT_BATCH = 4;
    public static final double DEFAULT_LR = 1e-4;
    public static final double DEFAULT_EPSILON = 1e-3;
    public static final double DEFAULT_MAX_ABS_G = 1e4;
    public static final int MAX_PERTURBATIONS = 64;

    public ZoFedSettings {
        if (steps < 1 || steps > ScalarPairs.MAX_PAIRS) {
            throw new IllegalArgumentException(
                    "local_steps must be in [1, " + ScalarPairs.MAX_PAIRS + "], got " + steps);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch_size must be >= 1, got " + batch);
        }
        new ZoSettings(epsilon, lr); // the same checks as local training
        if (!(maxAbsG > 0) || !Double.isFinite(maxAbsG)) {
            throw new IllegalArgumentException(MAX_ABS_G + " must be finite and > 0, got " + maxAbsG);
        }
        if (!(lrDecay > 0 && lrDecay <= 1)) {
            throw new IllegalArgumentException(LR_DECAY + " must be in (0, 1], got " + lrDecay);
        }
        if (perturbations < 1 || perturbations > MAX_PERTURBATIONS) {
            throw new IllegalArgumentException(
                    PERTURBATIONS + " must be in [1, " + MAX_PERTURBATIONS + "], got " + perturbations);
        }
        if ((long) steps * perturbations > ScalarPairs.MAX_PAIRS) {
            throw new IllegalArgumentException("local_steps x " + PERTURBATIONS + " = " + (long) steps * perturbations
                    + " exceeds the " + ScalarPairs.MAX_PAIRS + " pairs a reply may carry");
        }
        new UpdateScope(scope, always); // refuses an always-scope of every tensor
    }

    /** Nothing trained besides a block mask's blocks ({@code zo.always_trainable} empty). */
    public ZoFedSettings(
            int steps,
            int batch,
            double lr,
            double epsilon,
            double maxAbsG,
            double lrDecay,
            int perturbations,
            TrainableScope scope) {
        this(steps, batch, lr, epsilon, maxAbsG, lrDecay, perturbations, scope, null);
    }

    /** Constant learning rate, one perturbation per step, every tensor trainable. */
    public ZoFedSettings(int steps, int batch, double lr, double epsilon, double maxAbsG) {
        this(steps, batch, lr, epsilon, maxAbsG, 1.0, 1, TrainableScope.ALL);
    }

    public static ZoFedSettings read(Config c) {
        return new ZoFedSettings(
                c.getInt(TrainKeys.LOCAL_STEPS, DEFAULT_STEPS),
                c.getInt(TrainKeys.BATCH_SIZE, DEFAULT_BATCH),
                c.getDouble(TrainKeys.LEARNING_RATE, DEFAULT_LR),
                c.getDouble(EPSILON, DEFAULT_EPSILON),
                c.getDouble(MAX_ABS_G, DEFAULT_MAX_ABS_G),
                c.getDouble(LR_DECAY, 1.0),
                c.getInt(PERTURBATIONS, 1),
                TrainableScope.parse(c.getString(TRAINABLE, "")),
                always(c.getString(ALWAYS_TRAINABLE, "")));
    }

    private static TrainableScope always(String text) {
        return text == null || text.isBlank() ? null : TrainableScope.parse(text);
    }

    /** What each seed moves, by its block mask. */
    public UpdateScope updateScope() {
        return new UpdateScope(scope, always);
    }

    /** Round {@code round}'s (≥ 1) learning rate: lr·γ^(round−1). */
    public double lrAt(int round) {
        if (round < 1) {
            throw new IllegalArgumentException("rounds start at 1, got " + round);
        }
        return lrDecay == 1.0 ? lr : lr * StrictMath.pow(lrDecay, round - 1);
    }

    /** The coefficient one (seed, g) pair of round {@code round} replays with: lr_r / n. */
    public double replayLr(int round) {
        return lrAt(round) / perturbations;
    }

    /** Seeds assigned to a node per training round: one per perturbation of every step. */
    public int seedsPerRound() {
        return steps * perturbations;
    }

    public ZoSettings local() {
        return new ZoSettings(epsilon, lr);
    }
}
