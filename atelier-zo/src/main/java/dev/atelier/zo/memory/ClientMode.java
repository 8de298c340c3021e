package dev.atelier.zo.memory;

/**
 * How a ZO client holds and runs the model. Every mode computes the same losses, bit for bit, and
 * keeps the global model exact: only where the weights live and what is recomputed differ.
 */
public enum ClientMode {
    /** Every block resident in F32; both perturbed passes run the whole network. */
    FULL,
    /**
     * Every block resident in F32; the frozen prefix below the lowest active block runs once per
     * batch and its output is reused by both perturbed passes (saves compute, not memory).
     */
    CACHED_PREFIX,
    /**
     * Only the blocks from the lowest active one up are resident in F32 (with embeddings, final
     * norm and head); the frozen prefix is read from the F32 checkpoint on disk one block at a
     * time, once per batch, and its output cached for both passes (saves memory and compute).
     */
    STREAMED_PREFIX,
    /**
     * Only the active blocks are resident in F32 (with embeddings, final norm and head); every
     * frozen block, below the lowest active one or above it, is read from the F32 checkpoint on
     * disk into one shared block slot when a forward reaches it (the prefix once per batch, its
     * output cached; frozen blocks above it once per perturbed pass). Memory grows with the number
     * of active blocks, not with how low the lowest one lies.
     */
    ACTIVE_ONLY;

    /** The mode of a client that holds what {@code r} says (the memory protocol measures it). */
    public static ClientMode holding(dev.atelier.zo.alloc.Residency r) {
        return switch (r) {
            case SUFFIX -> STREAMED_PREFIX;
            case ACTIVE -> ACTIVE_ONLY;
        };
    }
}
