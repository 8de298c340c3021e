package dev.atelier.zo.fed;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.util.Cancellation;
import dev.atelier.core.util.Seeds;
import dev.atelier.core.workload.Workload;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.Param;
import dev.atelier.zo.train.SeedScalar;
import dev.atelier.zo.train.Trainable;
import dev.atelier.zo.train.ZoUpdate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A store's zeroth-order client under {@link FedKSeed}. It holds its own replica of the global
 * model and, per instruction: (1) brings the replica to the instruction's base round, by replaying
 * the sent {@link RoundUpdate}s it has not applied ({@link Replay#apply}) or by taking the sent
 * checkpoint; (2) checks the replica's SHA-256 against the coordinator's and refuses to work on a
 * diverged model; (3) trains (MeZO SPSA as in {@code ZoTrainer}, on {@link StoreData#loss}, one
 * perturbation per assigned seed, {@code zo.perturbations} of them per step and batch, the step
 * moving by their mean with round r's learning rate ({@link ZoFedSettings#replayLr}), over the
 * tensors of {@code zo.trainable}; batches
 * drawn from its rows with a seed of (pool, round, node)) and replies with only the
 * (seed index, g) pairs ({@link ScalarPairs}), or evaluates on its held-out rows. Under ZorBA the
 * instruction names the blocks to perturb and update ({@link SyncKeys#BLOCKS}); every other tensor
 * stays frozen, and replays restrict each update to its mask, so the replica stays the global
 * model. An instruction saying the node is left out ({@link SyncKeys#EXCLUDED}) fails with the
 * coordinator's reason, which the node logs and the coordinator records as the failure.
 *
 * <p>Local steps move the replica; it is restored from a copy of the trainable floats taken
 * before them (one extra copy of the trainable parameters, freed after the round), so it is the
 * global model again, bit for bit, when the reply leaves. A |g| above the run's bound is clipped
 * to it so an honest reply is never refused. A replica whose round is unknown (after a digest
 * mismatch) or ahead of the coordinator's (a coordinator resumed from an older checkpoint) is
 * reloaded from {@code modelDir} when the instruction replays from round 0. Called by one thread at
 * a time.
 */
public final class ZoClient implements Workload {
    private static final int UNKNOWN = Integer.MIN_VALUE;

    private final String nodeId;
    private final CausalLm model;
    private final List<Param> params;
    private final Trainable trainable;
    private final BlockLayout layout;
    private final StoreData data;
    private final Path modelDir;
    private int applied;

    /**
     * @param model    the initial global model (round 0), loaded from {@code modelDir}
     * @param modelDir where it came from, to reload it; null when it cannot be reloaded
     */
    public ZoClient(String nodeId, CausalLm model, Path modelDir, StoreData data) {
        this.nodeId = nodeId;
        this.model = model;
        this.params = model.parameters();
        this.trainable = Trainable.all(model);
        this.layout = BlockLayout.of(model);
        this.data = data;
        this.modelDir = modelDir;
        this.applied = 0;
    }

    /** The global round the replica holds (Integer.MIN_VALUE when unknown). */
    public int appliedRound() {
        return applied;
    }

    public CausalLm model() {
        return model;
    }

    @Override
    public Reply handle(Instruction ins, Cancellation cancel) throws Exception {
        Config c = ins.config();
        if (ins.kind() == dev.atelier.core.message.TaskKind.TRAIN && c.has(SyncKeys.EXCLUDED)) {
            throw new IllegalStateException("left out of round " + ins.round() + " by the coordinator: "
                    + dev.atelier.core.util.UntrustedText.reason(c.getString(SyncKeys.EXCLUDED, "")));
        }
        if (!c.has(SyncKeys.SYNC)) {
            throw new IllegalArgumentException("the zo workload needs strategy " + FedKSeed.NAME
                    + " (the instruction has no " + SyncKeys.SYNC + ")");
        }
        ZoFedSettings s = ZoFedSettings.read(c);
        SeedPool pool = new SeedPool(c.getLong(SyncKeys.POOL_SEED, 0), c.getInt(SyncKeys.K, 0));
        int base = c.getInt(SyncKeys.BASE_ROUND, -1);
        if (base < 0 || base > ins.round()) {
            throw new IllegalArgumentException("base round " + base + " is outside [0, " + ins.round() + "]");
        }
        sync(c, ins.params(), base, pool, s);
        String want = c.getString(SyncKeys.MODEL_SHA256, "");
        String have = Replay.sha256(params);
        if (!have.equals(want)) {
            applied = UNKNOWN;
            throw new IllegalStateException("replica of round " + base + " has SHA-256 " + have
                    + " but the coordinator's is " + want + "; it will be rebuilt");
        }
        return switch (ins.kind()) {
            case TRAIN -> train(ins, c, pool, s, cancel);
            case EVALUATE -> {
                StoreData.Evaluation e = data.evaluate(model);
                yield new Reply(nodeId, ins.round(), ParamSet.empty(), e.examples(), e.metrics(), null);
            }
            case ANALYTICS -> throw new IllegalArgumentException("the zo workload has no analytics task");
            case SECAGG ->
                throw new IllegalArgumentException("secure aggregation stage reached the zo workload: the node"
                        + " runs without the SecAggNode middleware");
        };
    }

    private void sync(Config c, ParamSet sent, int base, SeedPool pool, ZoFedSettings s) throws IOException {
        String mode = c.getString(SyncKeys.SYNC, "");
        if (mode.equals(SyncKeys.CHECKPOINT)) {
            load(sent);
            applied = base;
            return;
        }
        if (!mode.equals(SyncKeys.REPLAY)) {
            throw new IllegalArgumentException(SyncKeys.SYNC + " must be replay or checkpoint, got '" + mode + "'");
        }
        int after = c.getInt(SyncKeys.REPLAY_AFTER, -1);
        if (after < 0 || after > base) {
            throw new IllegalArgumentException("replay start " + after + " is outside [0, " + base + "]");
        }
        List<RoundUpdate> updates = UpdateLog.decode(sent, after, base, pool.k(), s.maxAbsG());
        if (applied == UNKNOWN || applied > base || applied < after) {
            if (after != 0) {
                String held = applied == UNKNOWN ? "an unknown round" : "round " + applied;
                applied = UNKNOWN;
                throw new IllegalStateException("replica holds " + held + " but the updates sent start after round "
                        + after + "; the coordinator will send the full history next time");
            }
            reload();
        }
        for (RoundUpdate u : updates) {
            if (u.round() > applied) {
                Replay.apply(s.scope().restrict(trainable), layout, pool, u, s.replayLr(u.round()));
            }
        }
        applied = base;
    }

    /** Replaces every parameter with the sent checkpoint's (names, order and shapes must match). */
    private void load(ParamSet sent) {
        if (sent.size() != params.size()) {
            throw new IllegalArgumentException(
                    "checkpoint has " + sent.size() + " tensors, the model " + params.size());
        }
        for (Param p : params) {
            Tensor t = sent.get(p.name());
            if (t == null || t.dtype() != DType.F32 || t.numElements() != p.values().length) {
                throw new IllegalArgumentException("checkpoint tensor '" + p.name() + "' is missing or differs");
            }
            float[] v = t.toFloats();
            for (float x : v) {
                if (!Float.isFinite(x)) {
                    throw new IllegalArgumentException("checkpoint tensor '" + p.name() + "' holds NaN or Inf");
                }
            }
            System.arraycopy(v, 0, p.values(), 0, v.length);
        }
    }

    /** Back to the initial model (round 0). */
    private void reload() throws IOException {
        if (modelDir == null) {
            throw new IllegalStateException("replica must be rebuilt but the initial model's folder is unknown");
        }
        List<Param> fresh = CausalLm.load(modelDir).parameters();
        for (int i = 0; i < params.size(); i++) {
            float[] v = fresh.get(i).values();
            System.arraycopy(v, 0, params.get(i).values(), 0, v.length);
        }
        applied = 0;
    }

    private Reply train(Instruction ins, Config c, SeedPool pool, ZoFedSettings s, Cancellation cancel) {
        int[] seeds = Arrays.stream(c.getString(SyncKeys.SEEDS, "").split(","))
                .filter(x -> !x.isBlank())
                .mapToInt(x -> Integer.parseInt(x.trim()))
                .toArray();
        if (seeds.length == 0 || seeds.length > ScalarPairs.MAX_PAIRS) {
            throw new IllegalArgumentException(
                    "a zo train instruction assigns 1.." + ScalarPairs.MAX_PAIRS + " seeds, got " + seeds.length);
        }
        if (seeds.length % s.perturbations() != 0) {
            throw new IllegalArgumentException(seeds.length + " seeds do not split into steps of " + s.perturbations()
                    + " perturbations (" + ZoFedSettings.PERTURBATIONS + ")");
        }
        long mask = BlockMask.parse(c.getString(SyncKeys.BLOCKS, ""), layout.blocks());
        Trainable active = layout.restrict(s.scope().restrict(trainable), mask);
        List<int[]> rows = data.trainRows();
        SplittableRandom rng =
                new SplittableRandom(Seeds.derive(pool.poolSeed(), "zo-batch", ins.round() + "/" + nodeId));
        List<float[]> snapshot = new ArrayList<>();
        for (Trainable.Entry e : active.entries()) {
            snapshot.add(e.param().values().clone());
        }
        List<ScalarPairs.Pair> pairs = new ArrayList<>();
        double loss = 0;
        double lr = s.replayLr(ins.round());
        int n = s.perturbations();
        try {
            for (int at = 0; at < seeds.length; at += n) {
                cancel.throwIfCancelled();
                int[][] batch = new int[s.batch()][];
                for (int b = 0; b < batch.length; b++) {
                    batch[b] = rows.get(rng.nextInt(rows.size()));
                }
                // n perturbations of the same parameters on the same batch, then the step moves
                // by their mean: each pair by lr_r / n, as every replay applies it
                List<SeedScalar> step = new ArrayList<>(n);
                for (int j = at; j < at + n; j++) {
                    long seed = pool.seed(seeds[j]);
                    double eps = s.epsilon();
                    // the same +ε, −2ε, +ε walk as ZoTrainer.step, with the store's own loss
                    ZoUpdate.perturb(active, seed, eps);
                    double plus = data.loss(model, batch);
                    ZoUpdate.perturb(active, seed, -2 * eps);
                    double minus = data.loss(model, batch);
                    ZoUpdate.perturb(active, seed, eps);
                    double raw = (plus - minus) / (2 * eps);
                    if (!Double.isFinite(raw)) {
                        throw new IllegalStateException("step with seed " + seed + ": losses " + plus + " / " + minus
                                + " give no finite projected gradient");
                    }
                    double g = Math.max(-s.maxAbsG(), Math.min(s.maxAbsG(), raw));
                    step.add(new SeedScalar(seed, g));
                    pairs.add(new ScalarPairs.Pair(seeds[j], g));
                    loss += (plus + minus) / 2;
                }
                ZoUpdate.apply(active, step, lr);
            }
        } finally {
            for (int i = 0; i < snapshot.size(); i++) {
                float[] v = snapshot.get(i);
                System.arraycopy(v, 0, active.entries().get(i).param().values(), 0, v.length);
            }
        }
        return new Reply(
                nodeId,
                ins.round(),
                ParamSet.empty(),
                rows.size(),
                Map.of("loss", loss / seeds.length),
                ScalarPairs.encode(pairs));
    }
}
