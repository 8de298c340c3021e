package dev.atelier.zo.alloc;

/**
 * What a client holds in memory for a set of active blocks (docs/zo.md, "Client memory model"),
 * and so how its modelled memory depends on the set.
 */
public enum Residency {
    /**
     * Blocks from the lowest active one up are resident; the frozen prefix below is streamed from
     * disk once per batch. Memory: fixed + Σ_{b ≥ lowest active} bytes_b.
     */
    SUFFIX,
    /**
     * Only the active blocks are resident; every frozen block (prefix or above) is streamed from
     * disk through one slot counted in the fixed part. Memory: fixed + Σ_{b active} bytes_b.
     */
    ACTIVE
}
