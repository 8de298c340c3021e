package dev.atelier.zo.train;

import java.util.List;

/**
 * The in-place parameter arithmetic of zeroth-order training, in pure Java and a fixed order, so
 * every machine that applies the same (seed, g) pairs to the same start parameters ends with
 * bit-identical float32 parameters. No engine kernel or RNG is involved, and nothing is allocated
 * per parameter: z is regenerated from the seed ({@link ZoNoise}) each time it is needed.
 *
 * <p>Every operation is θ[i] ← (float) (θ[i] + c·z[i]) in double, one rounding to float32, for
 * each trainable tensor in index order, pairs in list order. Float rounding makes the perturb /
 * restore round trip (+ε, −2ε, +ε) inexact in general (θ may move by an ulp), so there are two
 * replays: {@link #apply}, the global-model update θ ← θ − lr·Σ g·z, and {@link #replayLocal},
 * which repeats a trainer's perturb/restore sequence too and therefore reproduces a trainer's
 * model bit for bit. Not thread-safe: callers own the model while they write it.
 */
public final class ZoUpdate {
    private ZoUpdate() {}

    /** θ ← θ + c·z(seed) over {@code trainable}. */
    public static void perturb(Trainable trainable, long seed, double c) {
        for (Trainable.Entry e : trainable.entries()) {
            e.addScaled(seed, c);
        }
    }

    /** θ ← θ − lr·g·z(seed) for one pair; the coefficient −(lr·g) is rounded to double once. */
    public static void update(Trainable trainable, SeedScalar step, double lr) {
        perturb(trainable, step.seed(), -(lr * step.g()));
    }

    /**
     * The global-model update from (seed, g) pairs: {@link #update} for each pair in list order.
     * This is what the federation replays on every machine.
     */
    public static void apply(Trainable trainable, List<SeedScalar> steps, double lr) {
        for (SeedScalar s : steps) {
            update(trainable, s, lr);
        }
    }

    /**
     * Exactly what {@link ZoTrainer#step} does to the parameters, for each pair in order: perturb
     * +ε, −2ε, +ε (the restore), then the update. A fresh copy of a trainer's start model given
     * its pairs and settings ends bit-identical to the trainer's model.
     */
    public static void replayLocal(Trainable trainable, List<SeedScalar> steps, ZoSettings settings) {
        for (SeedScalar s : steps) {
            perturbAndRestore(trainable, s.seed(), settings.epsilon(), null);
            update(trainable, s, settings.lr());
        }
    }

    /** Evaluated between perturbations: at θ+εz, then at θ−εz. */
    interface Probe {
        double loss();
    }

    /**
     * Perturbs +ε, evaluates, −2ε, evaluates, +ε; returns {L+, L−} (or null without a probe).
     * The parameters are restored even when the probe throws.
     */
    static double[] perturbAndRestore(Trainable t, long seed, double eps, Probe probe) {
        perturb(t, seed, eps);
        double plus = Double.NaN;
        double minus = Double.NaN;
        boolean atMinus = false;
        try {
            if (probe != null) {
                plus = probe.loss();
            }
            perturb(t, seed, -2 * eps);
            atMinus = true;
            if (probe != null) {
                minus = probe.loss();
            }
        } finally {
            perturb(t, seed, atMinus ? eps : -eps);
        }
        return probe == null ? null : new double[] {plus, minus};
    }
}
