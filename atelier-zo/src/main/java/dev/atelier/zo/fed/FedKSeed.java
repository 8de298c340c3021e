package dev.atelier.zo.fed;

import dev.atelier.core.aggregate.Aggregator;
import dev.atelier.core.message.Config;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.Strategy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Zeroth-order federation with seeds and scalars (FedKSeed, Qin et al., ICML 2024) as a
 * {@link Strategy}. The run's global model is the full model, held only by the coordinator and
 * checkpointed as usual; what travels is tiny:
 *
 * <ul>
 *   <li><b>Down</b>: per node, what it needs to reach the global model of the round before
 *       ({@link #finish}): the {@link RoundUpdate}s of the rounds since the round it is known to
 *       hold ({@code replay}), or the model itself when that is smaller ({@code checkpoint}, e.g.
 *       a new node late in a long run), plus the model's SHA-256 and, for training, the pool
 *       indices assigned to it ({@link SeedPool#assign}, public).
 *   <li><b>Up</b>: only (seed index, g) pairs ({@link ScalarPairs}), no tensors
 *       ({@link #replyTemplate} is empty).
 *   <li><b>Merge</b>: per-seed example-weighted scalars ({@link SeedScalarAggregator}); the
 *       coordinator replays them onto its model ({@link Replay#advance}) exactly as every node
 *       does, so all hold bit-identical parameters.
 * </ul>
 *
 * <p>With a {@link BlockPlanner} (ZorBA) each node is also told, in the instruction config, which
 * decoder blocks it perturbs and updates ({@link SyncKeys#BLOCKS}), or why it is left out of the
 * round ({@link SyncKeys#EXCLUDED}); its scalars are merged and replayed restricted to those
 * blocks ({@link RoundUpdate}'s masks), on every machine alike.
 *
 * <p>A node is "known" to hold the global model of round r−1 once its reply to round r was
 * accepted; a node whose instruction got no accepted reply is forgotten and next gets the whole
 * history (or the checkpoint). The history is the server state, so a resumed coordinator keeps
 * it. Not thread-safe (one Run drives it), except the aggregators it makes.
 */
public final class FedKSeed extends Strategy {
    /** How a node that is behind catches up. */
    public enum CatchUp {
        /** The cheaper on the wire of replay and checkpoint. */
        AUTO,
        /** Always the updates (tests). */
        REPLAY,
        /** Always the model (tests). */
        CHECKPOINT
    }

    public static final String NAME = "fedkseed";
    public static final int DEFAULT_K = 1024;

    private final int k;
    private final ZoFedSettings settings;
    private final CatchUp catchUp;
    private final BlockPlanner planner;
    /** Round → node → its block mask (ZorBA only). */
    private final Map<Integer, Map<String, Long>> masks = new HashMap<>();

    private UpdateLog log = new UpdateLog();
    private SeedPool pool;
    /** Node → the global round it is known to hold. */
    private final Map<String, Integer> known = new HashMap<>();
    /** Round → node → assigned indices. */
    private final Map<Integer, Map<String, Set<Integer>>> assigned = new HashMap<>();

    private SeedScalarAggregator lastAggregator;
    private int lastRound;
    private int settledRound;
    private ParamSet digested;
    private String digest;

    public FedKSeed(Sampling sampling, Config trainConfig, int k, CatchUp catchUp) {
        this(sampling, trainConfig, k, catchUp, null);
    }

    /** @param planner per-round block activation (ZorBA); null: every node trains the full model */
    public FedKSeed(Sampling sampling, Config trainConfig, int k, CatchUp catchUp, BlockPlanner planner) {
        super(sampling, trainConfig);
        this.planner = planner;
        this.k = k;
        new SeedPool(0, k); // range check
        this.settings = ZoFedSettings.read(trainConfig);
        if (settings.seedsPerRound() > k) {
            String per = settings.perturbations() == 1
                    ? ""
                    : " x " + ZoFedSettings.PERTURBATIONS + " " + settings.perturbations() + " = "
                            + settings.seedsPerRound();
            throw new IllegalArgumentException("local_steps " + settings.steps() + per + " exceeds the seed pool k = "
                    + k + " (seeds per node are distinct)");
        }
        this.catchUp = java.util.Objects.requireNonNull(catchUp, "catchUp");
    }

    public FedKSeed(Sampling sampling, Config trainConfig, int k) {
        this(sampling, trainConfig, k, CatchUp.AUTO);
    }

    public static final String ZORBA = "zorba";

    @Override
    public String name() {
        return planner == null ? NAME : ZORBA;
    }

    @Override
    protected void beginRound(int round, java.util.List<NodeInfo> nodes) {
        if (planner != null) {
            planner.beginRound(round, nodes);
        }
    }

    public int k() {
        return k;
    }

    public ZoFedSettings settings() {
        return settings;
    }

    @Override
    protected Instruction finish(Instruction ins, NodeInfo node, long runSeed) {
        if (pool == null) {
            pool = SeedPool.forRun(runSeed, k);
        }
        boolean train = ins.kind() == TaskKind.TRAIN;
        settle(ins.round(), train);
        ParamSet global = ins.params();
        int base = train ? ins.round() - 1 : ins.round();
        Config c = ins.config()
                .with(SyncKeys.K, k)
                .with(SyncKeys.POOL_SEED, pool.poolSeed())
                .with(SyncKeys.BASE_ROUND, base)
                .with(SyncKeys.MODEL_SHA256, digestOf(global));
        if (planner != null) {
            c = c.with(SyncKeys.HOLD, planner.residency().key());
        }
        Integer at = known.get(node.nodeId());
        int after = at == null || at > base ? 0 : at;
        boolean replay = switch (catchUp) {
            case REPLAY -> true;
            case CHECKPOINT -> after >= base; // nothing to catch up: an empty replay
            case AUTO -> log.bytes(after, base) <= global.byteSize();
        };
        ParamSet sent;
        if (replay) {
            c = c.with(SyncKeys.SYNC, SyncKeys.REPLAY).with(SyncKeys.REPLAY_AFTER, after);
            sent = log.slice(after, base);
        } else {
            c = c.with(SyncKeys.SYNC, SyncKeys.CHECKPOINT);
            sent = global;
        }
        BlockPlanner.Part part = train && planner != null ? planner.part(ins.round(), node) : null;
        if (part != null && part.excluded() != null) {
            return new Instruction(
                    ins.runId(),
                    ins.round(),
                    ins.nodeId(),
                    ins.kind(),
                    c.with(SyncKeys.EXCLUDED, part.excluded()),
                    ParamSet.empty(),
                    ins.payload());
        }
        if (part != null) {
            c = c.with(SyncKeys.BLOCKS, BlockMask.text(part.mask()));
            masks.computeIfAbsent(ins.round(), r -> new HashMap<>()).put(node.nodeId(), part.mask());
        }
        if (train) {
            int[] seeds = pool.assign(ins.round(), node.nodeId(), settings.seedsPerRound());
            c = c.with(
                    SyncKeys.SEEDS,
                    Arrays.stream(seeds).mapToObj(Integer::toString).collect(Collectors.joining(",")));
            Set<Integer> set = new HashSet<>();
            Arrays.stream(seeds).forEach(set::add);
            assigned.computeIfAbsent(ins.round(), r -> new HashMap<>()).put(node.nodeId(), set);
        }
        return new Instruction(ins.runId(), ins.round(), ins.nodeId(), ins.kind(), c, sent, ins.payload());
    }

    /**
     * Once the training exchange of {@link #lastRound} is over (its evaluation, or a later round,
     * is being configured): nodes whose reply was accepted hold round lastRound − 1; the other
     * instructed nodes are forgotten.
     */
    private void settle(int round, boolean train) {
        boolean over = train ? round > lastRound : round == lastRound;
        if (lastAggregator == null || !over || settledRound == lastRound) {
            return;
        }
        Set<String> ok = lastAggregator.acceptedNodes();
        for (String n : assigned.getOrDefault(lastRound, Map.of()).keySet()) {
            if (ok.contains(n)) {
                known.merge(n, lastRound - 1, Math::max);
            } else {
                known.remove(n);
            }
        }
        assigned.remove(lastRound);
        masks.remove(lastRound);
        settledRound = lastRound;
    }

    /** Evaluators replay updates too, so they get the same settings (lr) as trainers. */
    @Override
    protected Config evaluateConfig(int round, NodeInfo node) {
        return trainConfig().with(dev.atelier.core.strategy.TrainKeys.ROUND, round);
    }

    private String digestOf(ParamSet global) {
        if (global != digested) {
            digest = Replay.sha256(global);
            digested = global;
        }
        return digest;
    }

    @Override
    public ParamSet replyTemplate(ParamSet global) {
        return ParamSet.empty();
    }

    @Override
    public Aggregator newAggregator(int round) {
        if (pool == null) {
            throw new IllegalStateException("newAggregator before configure");
        }
        lastAggregator = new SeedScalarAggregator(
                round, pool, settings, assigned.getOrDefault(round, Map.of()), masks.getOrDefault(round, Map.of()));
        lastRound = round;
        return lastAggregator;
    }

    @Override
    public ParamSet update(int round, ParamSet previous, ParamSet aggregate) {
        var updates = UpdateLog.decode(aggregate, round - 1, round, k, Double.MAX_VALUE);
        if (updates.size() != 1) {
            throw new IllegalStateException("round " + round + " aggregated into " + updates.size() + " updates");
        }
        RoundUpdate u = updates.get(0);
        ParamSet next = Replay.advance(
                previous,
                planner == null ? null : planner.layout(),
                pool,
                u,
                settings.replayLr(round),
                settings.updateScope());
        log.put(u);
        return next;
    }

    /** The history of updates, checkpointed with the model. */
    @Override
    public ParamSet serverState() {
        if (planner == null) {
            return log.all();
        }
        ParamSet.Builder b = ParamSet.builder();
        log.all().asMap().forEach(b::put);
        planner.state().asMap().forEach(b::put);
        return b.build();
    }

    @Override
    public void restoreServerState(ParamSet state) {
        java.util.Set<String> mine = java.util.Set.of(UpdateLog.ROUND, UpdateLog.SEED, UpdateLog.G, UpdateLog.MASK);
        log = UpdateLog.restore(state.select(mine::contains), k, Double.MAX_VALUE);
        ParamSet rest = state.select(n -> !mine.contains(n));
        if (planner != null) {
            planner.restore(rest);
        } else if (!rest.isEmpty()) {
            throw new IllegalArgumentException("fedkseed server state holds unknown tensors " + rest.names());
        }
    }

    /** The updates so far (tests, docs). */
    public UpdateLog log() {
        return log;
    }
}
