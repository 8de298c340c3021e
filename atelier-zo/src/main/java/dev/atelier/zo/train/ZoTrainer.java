package dev.atelier.zo.train;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.LmLoss;
import dev.atelier.zo.model.Param;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * MeZO-style SPSA local training of a {@link CausalLm} in place: per step, with a seed chosen by
 * the caller (in the federation, assigned publicly by the coordinator), z ~ N(0, I) over the
 * {@link Trainable} parameters; L+ at θ+εz and L− at θ−εz by the forward alone;
 * g = (L+ − L−)/(2ε); θ ← θ − lr·g·z. The parameters go +ε, −2ε, +ε, then −lr·g, each pass
 * regenerating z from the seed: no copy of the weights, no gradient buffer, no optimizer state.
 * The losses use the model's forward kernels and so may differ across machines by float
 * rounding; g is computed once, here, and then travels as data ({@link SeedScalar}), so replays
 * ({@link ZoUpdate}) are bit-identical everywhere. Not thread-safe: one trainer per model.
 */
public final class ZoTrainer {
    private final CausalLm model;
    private final Trainable trainable;
    private final ZoSettings settings;
    private final List<SeedScalar> history = new ArrayList<>();

    /** One step's outcome: the pair that replays it and the two losses it came from. */
    public record Step(SeedScalar pair, double lossPlus, double lossMinus) {}

    public ZoTrainer(CausalLm model, Trainable trainable, ZoSettings settings) {
        this.model = model;
        this.trainable = trainable;
        this.settings = settings;
    }

    /**
     * One SPSA step on {@code batch} (rows of token ids, loss averaged over every predicted
     * position of every row). A non-finite loss leaves θ restored (no update) and throws.
     */
    public Step step(long seed, int[][] batch) {
        double eps = settings.epsilon();
        double[] losses = ZoUpdate.perturbAndRestore(trainable, seed, eps, () -> loss(model, batch));
        double g = (losses[0] - losses[1]) / (2 * eps);
        if (!Double.isFinite(g)) {
            throw new IllegalStateException("step with seed " + seed + ": losses " + losses[0] + " / " + losses[1]
                    + " give no finite projected gradient");
        }
        SeedScalar pair = new SeedScalar(seed, g);
        ZoUpdate.update(trainable, pair, settings.lr());
        history.add(pair);
        return new Step(pair, losses[0], losses[1]);
    }

    /**
     * The same step with the frozen prefix cached: {@code prefix[r]} is the input of block
     * {@code k} for {@code batch[r]} ({@link dev.atelier.zo.model.FrozenPrefix}), computed once
     * per batch and reused by both perturbed passes. Every trainable tensor must lie in a block
     * ≥ k (else the prefix would not be frozen); then the step equals {@link #step(long,
     * int[][])} bit for bit.
     */
    public Step step(long seed, int[][] batch, float[][] prefix, int k) {
        requireAbove(k);
        double eps = settings.epsilon();
        double[] losses = ZoUpdate.perturbAndRestore(trainable, seed, eps, () -> loss(model, batch, prefix, k));
        double g = (losses[0] - losses[1]) / (2 * eps);
        if (!Double.isFinite(g)) {
            throw new IllegalStateException("step with seed " + seed + ": losses " + losses[0] + " / " + losses[1]
                    + " give no finite projected gradient");
        }
        SeedScalar pair = new SeedScalar(seed, g);
        ZoUpdate.update(trainable, pair, settings.lr());
        history.add(pair);
        return new Step(pair, losses[0], losses[1]);
    }

    private void requireAbove(int k) {
        Set<Param> above = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int l = Math.max(k, model.firstResidentBlock()); l < model.numBlocks(); l++) {
            above.addAll(model.blockParameters(l));
        }
        for (Trainable.Entry e : trainable.entries()) {
            if (!above.contains(e.param())) {
                throw new IllegalArgumentException(
                        "tensor " + e.param().name() + " is trainable but lies below block " + k + " (not frozen)");
            }
        }
    }

    /** {@link #loss(CausalLm, int[][])} from cached inputs of block {@code k}. */
    public static double loss(CausalLm model, int[][] batch, float[][] prefix, int k) {
        if (batch.length == 0 || prefix.length != batch.length) {
            throw new IllegalArgumentException(
                    "batch of " + batch.length + " rows needs as many cached prefixes, got " + prefix.length);
        }
        int vocab = model.config().dims().vocabSize();
        LmLoss.Sum sum = new LmLoss.Sum(0, 0);
        for (int r = 0; r < batch.length; r++) {
            sum = sum.plus(LmLoss.shifted(model.logitsFrom(prefix[r], batch[r].length, k), batch[r], vocab));
        }
        if (sum.count() == 0) {
            throw new IllegalArgumentException("batch has no predicted position (every row has one token)");
        }
        return sum.mean();
    }

    /** The pairs of every step so far, in order. */
    public List<SeedScalar> history() {
        return List.copyOf(history);
    }

    public ZoSettings settings() {
        return settings;
    }

    /** Mean shift-by-one cross entropy over every predicted position of every row. */
    public static double loss(CausalLm model, int[][] batch) {
        if (batch.length == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        LmLoss.Sum sum = new LmLoss.Sum(0, 0);
        for (int[] row : batch) {
            sum = sum.plus(LmLoss.of(model, row));
        }
        if (sum.count() == 0) {
            throw new IllegalArgumentException("batch has no predicted position (every row has one token)");
        }
        return sum.mean();
    }
}
