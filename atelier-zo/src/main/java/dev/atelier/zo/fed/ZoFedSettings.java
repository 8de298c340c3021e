package dev.atelier.zo.fed;

import dev.atelier.core.message.Config;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.zo.train.ZoSettings;

/**
 * The settings every party of a zeroth-order federation must agree on bit for bit, read from the
 * train config the coordinator sends with every instruction (so the coordinator's strategy and
 * every node parse the same strings the same way): local steps ({@code local_steps}, each with
 * its own assigned seed), rows per step ({@code batch_size}), learning rate ({@code lr}),
 * perturbation scale ({@code zo.epsilon}) and the bound on a reply's |g| ({@code zo.max_abs_g}).
 * Immutable.
 */
public record ZoFedSettings(int steps, int batch, double lr, double epsilon, double maxAbsG) {
    public static final String EPSILON = "zo.epsilon";
    public static final String MAX_ABS_G = "zo.max_abs_g";

    public static final int DEFAULT_STEPS = 8;
    public static final int DEFAULT_BATCH = 4;
    public static final double DEFAULT_LR = 1e-4;
    public static final double DEFAULT_EPSILON = 1e-3;
    public static final double DEFAULT_MAX_ABS_G = 1e4;

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
    }

    public static ZoFedSettings read(Config c) {
        return new ZoFedSettings(
                c.getInt(TrainKeys.LOCAL_STEPS, DEFAULT_STEPS),
                c.getInt(TrainKeys.BATCH_SIZE, DEFAULT_BATCH),
                c.getDouble(TrainKeys.LEARNING_RATE, DEFAULT_LR),
                c.getDouble(EPSILON, DEFAULT_EPSILON),
                c.getDouble(MAX_ABS_G, DEFAULT_MAX_ABS_G));
    }

    public ZoSettings local() {
        return new ZoSettings(epsilon, lr);
    }
}
