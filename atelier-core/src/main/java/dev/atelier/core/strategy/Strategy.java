package dev.atelier.core.strategy;

import dev.atelier.core.aggregate.Aggregator;
import dev.atelier.core.message.Config;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.util.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Coordinator-side federation algorithm: which nodes train with what settings
 * ({@link #configure}), how their replies combine ({@link #newAggregator}) and how the combination
 * becomes the next global model ({@link #update}); which nodes evaluate a new global model on their
 * held-out data ({@link #configureEvaluate}).
 *
 * <p>The round loop lives in {@code Run}; subclasses fill narrow hooks. Node sampling is seeded
 * pure Java so a simulation is reproducible. Not thread-safe: one Run drives one strategy.
 */
public abstract class Strategy {
    private final Sampling sampling;
    private final Config trainConfig;

    protected Strategy(Sampling sampling, Config trainConfig) {
        this.sampling = java.util.Objects.requireNonNull(sampling, "sampling");
        this.trainConfig = java.util.Objects.requireNonNull(trainConfig, "trainConfig");
    }

    /** Short name used in logs and run.json, e.g. {@code fedavg}. */
    public abstract String name();

    public final Sampling sampling() {
        return sampling;
    }

    /** The base settings every train instruction carries (before {@link #roundConfig} additions). */
    public final Config trainConfig() {
        return trainConfig;
    }

    /**
     * Samples nodes and builds one train instruction per sampled node, all carrying {@code shared}
     * (the global parameters the federation shares).
     */
    public final List<Instruction> configure(
            String runId, int round, long seed, List<NodeInfo> available, ParamSet shared) {
        return instructionsFor(
                runId,
                round,
                seed,
                sample(available, new SplittableRandom(Seeds.derive(seed, "sampling", Integer.toString(round)))),
                shared);
    }

    /**
     * One train instruction per given node, without sampling: for a run that samples nodes itself
     * (Poisson sampling in DP mode, which the privacy accountant assumes).
     */
    public final List<Instruction> instructionsFor(
            String runId, int round, long seed, List<NodeInfo> nodes, ParamSet shared) {
        beginRound(round, nodes);
        List<Instruction> out = new ArrayList<>();
        for (NodeInfo node : nodes) {
            out.add(finish(
                    Instruction.train(runId, round, node.nodeId(), roundConfig(round, node), shared), node, seed));
        }
        return out;
    }

    /**
     * Flower's {@code configure_evaluate}: samples nodes (same fraction and minimum as training,
     * an independent draw) and builds one {@link TaskKind#EVALUATE} instruction per sampled node,
     * asking it to evaluate {@code global} on its local held-out data and return metrics only.
     * The run aggregates the replies' metrics example-weighted.
     */
    public final List<Instruction> configureEvaluate(
            String runId, int round, long seed, List<NodeInfo> available, ParamSet global) {
        // A distinct stream from configure's, so evaluation does not simply re-ask the trainers.
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "evaluate-sampling", Integer.toString(round)));
        List<Instruction> out = new ArrayList<>();
        for (NodeInfo node : sample(available, rng)) {
            out.add(finish(
                    new Instruction(
                            runId, round, node.nodeId(), TaskKind.EVALUATE, evaluateConfig(round, node), global, null),
                    node,
                    seed));
        }
        return out;
    }

    /** Partial Fisher-Yates over the id-sorted nodes: the same nodes are drawn on every machine. */
    private List<NodeInfo> sample(List<NodeInfo> available, SplittableRandom rng) {
        List<NodeInfo> sorted = new ArrayList<>(available);
        sorted.sort(Comparator.comparing(NodeInfo::nodeId));
        int k = sampling.sampleSize(sorted.size());
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(sorted.size() - i);
            NodeInfo tmp = sorted.get(i);
            sorted.set(i, sorted.get(j));
            sorted.set(j, tmp);
        }
        return List.copyOf(sorted.subList(0, k));
    }

    /**
     * Called once per training round with the nodes about to be instructed, before any
     * {@link #finish}: for a strategy that plans the round over all its nodes at once (ZorBA's
     * block allocation under the nodes' declared memory budgets). Default: nothing.
     */
    protected void beginRound(int round, List<NodeInfo> nodes) {}

    /**
     * The last look at each instruction before it is sent (train and evaluate alike): a strategy
     * whose nodes hold their own replica of the global model (zeroth-order federation with seeds
     * and scalars) replaces the parameters with what that node needs to catch up, and adds
     * per-node settings such as publicly assigned seeds. Default: the instruction unchanged.
     *
     * @param node    the addressed node
     * @param runSeed the run's seed (the one sampling derives from)
     */
    protected Instruction finish(Instruction instruction, NodeInfo node, long runSeed) {
        return instruction;
    }

    /**
     * What a training reply's parameters must match (names, shapes, dtypes; the update-norm bound
     * compares against it too), given the global model that was current when the round started.
     * Default: the global model itself (replies carry full parameters). A strategy whose replies
     * carry only a compact payload returns {@link ParamSet#empty()}.
     */
    public ParamSet replyTemplate(ParamSet global) {
        return global;
    }

    /** Settings of one node's evaluate instruction; by default just the round number. */
    protected Config evaluateConfig(int round, NodeInfo node) {
        return Config.empty().with(TrainKeys.ROUND, round);
    }

    /** Settings for one node in one round; override to add algorithm-specific keys. */
    protected Config roundConfig(int round, NodeInfo node) {
        return trainConfig.with(TrainKeys.ROUND, round);
    }

    /**
     * Whether {@link #newAggregator}'s aggregator keeps every reply until the round ends, so the
     * coordinator needs O(replies × model) memory (median, trimmed mean, Krum) instead of streaming
     * in O(model); checked against the coordinator's budget by {@link ReplyMemoryBudget}.
     */
    public boolean holdsEveryReply() {
        return false;
    }

    /** A fresh aggregator for one round's replies. */
    public abstract Aggregator newAggregator(int round);

    /**
     * The next global shared parameters given the previous ones and the round's aggregate.
     * Plain averaging returns the aggregate; server optimizers (FedAdam, FedYogi) step from
     * {@code previous} along the pseudo-gradient.
     */
    public ParamSet update(int round, ParamSet previous, ParamSet aggregate) {
        return aggregate;
    }

    /**
     * Server-side state that {@link #update} carries from round to round (e.g. FedAdam's moments),
     * checkpointed with the global model so a resumed run continues exactly; empty when stateless.
     */
    public ParamSet serverState() {
        return ParamSet.empty();
    }

    /** Restores a state saved by {@link #serverState()} (on resume). */
    public void restoreServerState(ParamSet state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException(name() + " keeps no server state, got " + state.size() + " tensors");
        }
    }
}
