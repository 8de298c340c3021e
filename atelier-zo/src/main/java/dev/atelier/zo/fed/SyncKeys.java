package dev.atelier.zo.fed;

/**
 * Config keys the {@link FedKSeed} strategy adds to every instruction (train and evaluate) and
 * {@link ZoClient} reads: which pool, which seeds, and how to bring the node's replica to the
 * global model the instruction is about. All public: nothing here is secret.
 */
public final class SyncKeys {
    /** Pool size K. */
    public static final String K = "zo.k";
    /** The pool's seed ({@link SeedPool#poolSeed}). */
    public static final String POOL_SEED = "zo.pool_seed";
    /** Train only: the pool indices assigned to this node this round, comma-separated, in step order. */
    public static final String SEEDS = "zo.seeds";
    /** The global model the node must hold before working: the one after this round (0 = initial). */
    public static final String BASE_ROUND = "zo.base_round";
    /** {@code replay}: the parameters are the updates of rounds (replay_after, base]; {@code checkpoint}: the model. */
    public static final String SYNC = "zo.sync";
    /** With {@code replay}: the updates sent start after this round. */
    public static final String REPLAY_AFTER = "zo.replay_after";
    /** SHA-256 of the global model after {@link #BASE_ROUND} ({@link Replay#sha256}), checked by the node. */
    public static final String MODEL_SHA256 = "zo.model_sha256";

    /** Train, ZorBA only: the decoder blocks this node perturbs and updates this round, comma-separated. */
    public static final String BLOCKS = "zo.blocks";
    /** Train, ZorBA only: why this node is left out of the round (then it gets no seeds). */
    public static final String EXCLUDED = "zo.excluded";

    /**
     * ZorBA only, every instruction: what the node holds in memory for its active blocks, the rule
     * the coordinator planned its memory with ({@link dev.atelier.zo.alloc.Residency#key}:
     * {@code active} or {@code suffix}); the rest of the model stays in the node's F32 copy on disk.
     */
    public static final String HOLD = "zo.hold";

    public static final String REPLAY = "replay";
    public static final String CHECKPOINT = "checkpoint";

    private SyncKeys() {}
}
