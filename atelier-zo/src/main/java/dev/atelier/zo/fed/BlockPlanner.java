package dev.atelier.zo.fed;

import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.params.ParamSet;
import java.util.List;

/**
 * The coordinator's per-round choice of which decoder blocks each node perturbs and updates
 * (ZorBA's block activation), plugged into {@link FedKSeed}: {@link #beginRound} sees every node
 * about to be instructed and plans the round (e.g. solves the allocation under their declared
 * memory budgets), {@link #part} tells one node its share. The plan is public: it travels in the
 * instruction config, and the coordinator, not the node, fixes the mask each reply's scalars are
 * replayed with. Called by the one thread that drives the run.
 */
public interface BlockPlanner {
    /**
     * One node's share of a round: {@code mask} its active blocks ({@link BlockMask}, never FULL
     * for an admitted node), or {@code excluded} a one-line reason it is left out (mask then 0).
     */
    record Part(long mask, String excluded) {
        public Part {
            if ((excluded == null) == (mask == BlockMask.FULL)) {
                throw new IllegalArgumentException("a part is either a non-empty block mask or an exclusion");
            }
        }

        public static Part blocks(long mask) {
            return new Part(mask, null);
        }

        public static Part leftOut(String reason) {
            return new Part(BlockMask.FULL, reason);
        }
    }

    /**
     * What a node holds in memory for its active blocks: the rule the plan counts against each
     * node's budget, sent to every node ({@link SyncKeys#HOLD}) so it holds exactly that.
     */
    dev.atelier.zo.alloc.Residency residency();

    /** Where the blocks sit in the model the coordinator replays on. */
    BlockLayout layout();

    /** Plans training round {@code round} for {@code nodes} (before any {@link #part} of it). */
    void beginRound(int round, List<NodeInfo> nodes);

    /** {@code node}'s share of the round last planned. */
    Part part(int round, NodeInfo node);

    /** What to checkpoint with the run (tensor names distinct from {@link UpdateLog}'s). */
    ParamSet state();

    /** Restores {@link #state()} on resume. */
    void restore(ParamSet state);
}
