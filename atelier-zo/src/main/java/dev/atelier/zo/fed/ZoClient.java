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
import dev.atelier.zo.alloc.Residency;
import dev.atelier.zo.memory.ClientMode;
import dev.atelier.zo.memory.MemoryModel;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.LmConfig;
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
 * reloaded from {@code modelDir} when the instruction replays from round 0.
 *
 * <p>Under ZorBA every instruction also says what to hold in memory ({@link SyncKeys#HOLD}: the
 * memory rule the coordinator counted against this node's budget). The replica is then a {@link
 * BlockReplica}: the exact F32 global model in a copy on the node's disk, and in memory only the
 * blocks that rule makes resident for the round's active blocks (with embeddings, final norm and
 * head); frozen blocks are read from the copy into one slot as a forward reaches them, replays are
 * applied to the copy tensor by tensor, and the digest is the copy's. The weights are loaded when
 * the first instruction says which way. Called by one thread at a time.
 */
public final class ZoClient implements Workload, AutoCloseable {
    private static final int UNKNOWN = Integer.MIN_VALUE;

    private final String nodeId;
    private final StoreData data;
    private final Path modelDir;
    /** Where a {@link BlockReplica} keeps its F32 copy (null: a temporary folder when first needed). */
    private final Path replicaDir;
    /** The temporary folder made for the copy when {@code replicaDir} is null; deleted on {@link #close}. */
    private Path tempReplicaDir;

    /** Whole-model mode: the replica, every block in memory (null until the first instruction needs it). */
    private CausalLm model;

    private List<Param> params;
    private Trainable trainable;
    private BlockLayout layout;
    /** Held-blocks mode ({@link SyncKeys#HOLD}): the replica on disk, some blocks in memory. */
    private BlockReplica replica;

    private int applied;

    /** The memory budget this node declared (0: none); train instructions predicted above it are refused. */
    private final long budgetBytes;
    /** The model's config, read from {@code modelDir} for the budget check before any weights load. */
    private LmConfig lmConfig;
    /** Reuse the frozen prefix's output within a batch when the active blocks all lie above block 0. */
    private boolean prefixCaching = true;
    /** Forwards of the last train instruction that started from the cached prefix output. */
    private long prefixReuses;

    /**
     * @param model    the initial global model (round 0), loaded from {@code modelDir}
     * @param modelDir where it came from, to reload it; null when it cannot be reloaded
     */
    public ZoClient(String nodeId, CausalLm model, Path modelDir, StoreData data) {
        this(nodeId, modelDir, null, data);
        whole(model);
    }

    /**
     * A client that loads the initial model from {@code modelDir} only when the first instruction
     * says how much of it to hold: all of it (FedKSeed), or under {@link SyncKeys#HOLD} only the
     * blocks the coordinator's memory rule makes resident, the rest in an F32 copy in
     * {@code replicaDir} (null: a temporary folder).
     */
    public ZoClient(String nodeId, Path modelDir, Path replicaDir, StoreData data) {
        this(nodeId, modelDir, replicaDir, data, 0);
    }

    /**
     * The same client holding itself to its own declared memory budget ({@code budgetBytes} > 0;
     * 0: none): a train instruction whose blocks the memory model predicts above it is refused
     * before anything changes, whatever the coordinator planned.
     */
    public ZoClient(String nodeId, Path modelDir, Path replicaDir, StoreData data, long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("memory budget must be >= 0 bytes, got " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
        this.nodeId = nodeId;
        this.data = data;
        this.modelDir = modelDir;
        this.replicaDir = replicaDir;
        this.applied = 0;
    }

    /**
     * Whether a train step whose moving tensors all lie at or above block k > 0 (no embedding
     * among them; a tied head's rows are the embedding's) runs the frozen prefix once per batch
     * ({@link CausalLm#memoizePrefix}; default) or in every perturbed pass. The results are the
     * same bit for bit; off is for measuring the saving.
     */
    public void prefixCaching(boolean on) {
        this.prefixCaching = on;
    }

    /** Forwards of the last train instruction that started from the cached prefix output (0 without one). */
    public long prefixReuses() {
        return prefixReuses;
    }

    private void whole(CausalLm m) {
        this.model = m;
        this.params = m.parameters();
        this.trainable = Trainable.all(m);
        this.layout = BlockLayout.of(m);
    }

    /** The global round the replica holds (Integer.MIN_VALUE when unknown). */
    public int appliedRound() {
        return applied;
    }

    /**
     * The model in memory: the whole replica, or in held-blocks mode the model holding the blocks
     * of the last instruction (frozen blocks read from the copy; the top block alone is loaded when
     * none was held yet); null before the first instruction.
     */
    public CausalLm model() {
        return replica != null ? replicaModel() : model;
    }

    private CausalLm replicaModel() {
        try {
            return replica.model();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The whole global model this client holds: {@link #model} in whole-model mode, else a fresh
     * full load of the F32 copy (for checks and tools: it costs the whole model's memory).
     */
    public CausalLm globalModel() throws IOException {
        return replica != null ? CausalLm.load(replica.dir()) : model;
    }

    /** The blocks held in memory in held-blocks mode (null in whole-model mode or before any). */
    public java.util.SortedSet<Integer> heldBlocks() {
        return replica == null ? null : replica.held();
    }

    /**
     * Sets the mode the instruction asks for: whole model without {@link SyncKeys#HOLD}, held
     * blocks with it. Switching mode mid-run drops what is held; the replica's round becomes
     * unknown, so the coordinator's full history rebuilds it.
     */
    private void prepare(Residency hold) throws IOException {
        if (hold == null) {
            if (model == null) {
                if (modelDir == null) {
                    throw new IllegalStateException("the initial model's folder is unknown");
                }
                boolean switching = replica != null;
                replica = null;
                whole(CausalLm.load(modelDir));
                applied = switching ? UNKNOWN : applied;
            }
            return;
        }
        if (replica == null) {
            if (modelDir == null) {
                throw new IllegalStateException("held-blocks mode needs the initial model's folder");
            }
            boolean switching = model != null;
            model = null;
            params = null;
            trainable = null;
            Path dir = replicaDir != null ? replicaDir : tempReplicaDir();
            replica = new BlockReplica(modelDir, dir);
            layout = replica.layout();
            applied = switching ? UNKNOWN : 0;
        }
    }

    /** The folder of the held-blocks copy (null outside held-blocks mode). */
    Path replicaFolder() {
        return replica == null ? null : replica.dir();
    }

    /** One temporary folder per client, reused when the mode switches back to held blocks. */
    private Path tempReplicaDir() throws IOException {
        if (tempReplicaDir == null) {
            tempReplicaDir = java.nio.file.Files.createTempDirectory("atelier-zo-replica-");
        }
        return tempReplicaDir;
    }

    /**
     * Deletes the temporary copy of the model, if this client made one. A copy in the caller's
     * {@code replicaDir} stays, and so does what the client can say about it (held blocks, model).
     */
    @Override
    public void close() throws IOException {
        if (tempReplicaDir != null) {
            replica = null;
            dev.atelier.core.util.FileTrees.delete(tempReplicaDir);
            tempReplicaDir = null;
        }
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
        Residency hold = c.has(SyncKeys.HOLD) ? Residency.parse(c.getString(SyncKeys.HOLD, "")) : null;
        checkBudget(ins, c, hold, s);
        prepare(hold);
        SeedPool pool = new SeedPool(c.getLong(SyncKeys.POOL_SEED, 0), c.getInt(SyncKeys.K, 0));
        int base = c.getInt(SyncKeys.BASE_ROUND, -1);
        if (base < 0 || base > ins.round()) {
            throw new IllegalArgumentException("base round " + base + " is outside [0, " + ins.round() + "]");
        }
        sync(c, ins.params(), base, pool, s);
        String want = c.getString(SyncKeys.MODEL_SHA256, "");
        String have = replica != null ? replica.sha256() : Replay.sha256(params);
        if (!have.equals(want)) {
            applied = UNKNOWN;
            throw new IllegalStateException("replica of round " + base + " has SHA-256 " + have
                    + " but the coordinator's is " + want + "; it will be rebuilt");
        }
        return switch (ins.kind()) {
            case TRAIN -> train(ins, c, pool, s, hold, cancel);
            case EVALUATE -> {
                StoreData.Evaluation e = data.evaluate(model());
                yield new Reply(nodeId, ins.round(), ParamSet.empty(), e.examples(), e.metrics(), null);
            }
            case ANALYTICS -> throw new IllegalArgumentException("the zo workload has no analytics task");
            case SECAGG ->
                throw new IllegalArgumentException("secure aggregation stage reached the zo workload: the node"
                        + " runs without the SecAggNode middleware");
        };
    }

    /**
     * Refuses, before any state changes, an instruction whose blocks the memory model ({@link
     * MemoryModel#bound}, the figure the coordinator plans with) predicts above this node's own
     * budget: every block resident without {@link SyncKeys#HOLD}; else for training those the rule
     * makes resident for the instruction's active blocks, for evaluation the blocks held now (the
     * top block before any).
     */
    private void checkBudget(Instruction ins, Config c, Residency hold, ZoFedSettings s) throws IOException {
        boolean train = ins.kind() == dev.atelier.core.message.TaskKind.TRAIN;
        if (budgetBytes == 0 || !(train || ins.kind() == dev.atelier.core.message.TaskKind.EVALUATE)) {
            return;
        }
        int round = ins.round();
        if (lmConfig == null) {
            if (modelDir == null) {
                throw new IllegalStateException("a node with a memory budget needs the model's folder");
            }
            lmConfig = dev.atelier.zo.model.HfConfigReader.read(modelDir.resolve("config.json"));
        }
        int layers = lmConfig.dims().numLayers();
        java.util.SortedSet<Integer> active;
        Residency rule = hold == null ? Residency.ACTIVE : hold;
        if (hold == null) {
            active = activeBlocks(BlockMask.FULL, layers);
        } else if (train) {
            active = activeBlocks(BlockMask.parse(c.getString(SyncKeys.BLOCKS, ""), layers), layers);
        } else {
            active = replica != null && replica.held() != null
                    ? replica.held()
                    : new java.util.TreeSet<>(List.of(layers - 1));
            rule = Residency.ACTIVE;
        }
        long peak = MemoryModel.PROTOCOL.bound(lmConfig, active, s.batch(), rowLength(), rule);
        if (peak > budgetBytes) {
            throw new IllegalStateException(String.format(
                    java.util.Locale.ROOT,
                    "node %s refuses to %s in round %d: holding blocks %s of %d (%s) has a predicted peak of %.1f"
                            + " MiB, above its --memory-budget of %.1f MiB; nothing was changed",
                    nodeId,
                    train ? "train" : "evaluate",
                    round,
                    rule.resident(active, layers),
                    layers,
                    hold == null ? "whole model" : "zo.hold " + hold.key(),
                    peak / 1048576.0,
                    budgetBytes / 1048576.0));
        }
    }

    /** The longest training row (the memory model's sequence length for this store). */
    private int rowLength() {
        return data.trainRows().stream().mapToInt(r -> r.length).max().orElse(1);
    }

    /**
     * The blocks below the lowest one {@code active} touches, which then stay frozen: 0 when an
     * embedding moves (e.g. a tied head's rows), the number of blocks when no block moves.
     */
    private int frozenPrefix(Trainable active) {
        int k = layout.blocks();
        for (Trainable.Entry e : active.entries()) {
            int b = layout.blockOf(e.index());
            if (b >= 0) {
                k = Math.min(k, b);
            } else if (e.index() < layout.leading()) {
                return 0;
            }
        }
        return k;
    }

    /** The blocks {@code mask} activates (all of them for a full mask). */
    private static java.util.SortedSet<Integer> activeBlocks(long mask, int layers) {
        java.util.SortedSet<Integer> out = new java.util.TreeSet<>();
        if (mask == BlockMask.FULL) {
            for (int b = 0; b < layers; b++) {
                out.add(b);
            }
        } else {
            out.addAll(BlockMask.blocks(mask));
        }
        return out;
    }

    private void sync(Config c, ParamSet sent, int base, SeedPool pool, ZoFedSettings s) throws IOException {
        String mode = c.getString(SyncKeys.SYNC, "");
        if (mode.equals(SyncKeys.CHECKPOINT)) {
            if (replica != null) {
                replica.load(sent);
            } else {
                load(sent);
            }
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
        List<RoundUpdate> missing =
                updates.stream().filter(u -> u.round() > applied).toList();
        if (replica != null) {
            replica.replay(missing, pool, s);
        } else {
            for (RoundUpdate u : missing) {
                Replay.apply(trainable, layout, pool, u, s.replayLr(u.round()), s.updateScope());
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
        if (replica != null) {
            replica.reset();
            applied = 0;
            return;
        }
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

    private Reply train(Instruction ins, Config c, SeedPool pool, ZoFedSettings s, Residency hold, Cancellation cancel)
            throws IOException {
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
        CausalLm model;
        Trainable active;
        if (replica != null) {
            model = hold(mask, hold, s);
            active = s.updateScope().moved(Trainable.all(model), layout, mask);
        } else {
            model = this.model;
            active = s.updateScope().moved(trainable, layout, mask);
        }
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
        // blocks [0, k) and the embeddings are frozen for the whole instruction
        int k = frozenPrefix(active);
        prefixReuses = 0;
        java.util.function.ToDoubleFunction<int[][]> lossOf = data.lossWhileTraining(model, active);
        try {
            for (int at = 0; at < seeds.length; at += n) {
                cancel.throwIfCancelled();
                int[][] batch = new int[s.batch()][];
                for (int b = 0; b < batch.length; b++) {
                    batch[b] = rows.get(rng.nextInt(rows.size()));
                }
                // the prefix runs once per batch; every perturbed pass of the step starts at block k
                try (dev.atelier.zo.model.PrefixMemo memo =
                        prefixCaching && k > 0 && k < layout.blocks() ? model.memoizePrefix(k) : null) {
                    // n perturbations of the same parameters on the same batch, then the step moves
                    // by their mean: each pair by lr_r / n, as every replay applies it
                    List<SeedScalar> step = new ArrayList<>(n);
                    for (int j = at; j < at + n; j++) {
                        long seed = pool.seed(seeds[j]);
                        double eps = s.epsilon();
                        // the same +ε, −2ε, +ε walk as ZoTrainer.step, with the store's own loss
                        ZoUpdate.perturb(active, seed, eps);
                        double plus = lossOf.applyAsDouble(batch);
                        ZoUpdate.perturb(active, seed, -2 * eps);
                        double minus = lossOf.applyAsDouble(batch);
                        ZoUpdate.perturb(active, seed, eps);
                        double raw = (plus - minus) / (2 * eps);
                        if (!Double.isFinite(raw)) {
                            throw new IllegalStateException("step with seed " + seed + ": losses " + plus + " / "
                                    + minus + " give no finite projected gradient");
                        }
                        double g = Math.max(-s.maxAbsG(), Math.min(s.maxAbsG(), raw));
                        step.add(new SeedScalar(seed, g));
                        pairs.add(new ScalarPairs.Pair(seeds[j], g));
                        loss += (plus + minus) / 2;
                    }
                    ZoUpdate.apply(active, step, lr);
                    if (memo != null) {
                        prefixReuses += memo.reused();
                    }
                }
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

    /**
     * Loads the blocks {@code rule} makes resident for {@code mask}'s active blocks (all blocks for
     * a full mask) and logs the memory model's peak for them, the figure the coordinator planned
     * against this node's budget.
     */
    private CausalLm hold(long mask, Residency rule, ZoFedSettings s) throws IOException {
        int layers = layout.blocks();
        java.util.SortedSet<Integer> activeBlocks = activeBlocks(mask, layers);
        java.util.SortedSet<Integer> resident = rule.resident(activeBlocks, layers);
        if (resident.equals(replica.held())) {
            return replica.model();
        }
        CausalLm m = replica.hold(resident);
        int seq = rowLength();
        long peak = MemoryModel.PROTOCOL.expected(m.config(), activeBlocks, s.batch(), seq, ClientMode.holding(rule));
        System.getLogger(ZoClient.class.getName())
                .log(
                        System.Logger.Level.INFO,
                        String.format(
                                java.util.Locale.ROOT,
                                "node %s: blocks %s active, %s of %d held in memory (zo.hold %s), the rest read from"
                                        + " its F32 copy; memory model peak %.1f MiB (%d rows x %d tokens)",
                                nodeId,
                                activeBlocks,
                                resident,
                                layers,
                                rule.key(),
                                peak / 1048576.0,
                                s.batch(),
                                seq));
        return m;
    }
}
