package dev.atelier.core.message;

/** What an {@link Instruction} asks a node to do. */
public enum TaskKind {
    /** Train locally starting from the sent parameters and return an update. */
    TRAIN,
    /** Evaluate the sent parameters on local held-out data; return metrics only. */
    EVALUATE,
    /** Compute a federated statistic (counts, style cards); return a small payload. */
    ANALYTICS,
    /**
     * One stage of a secure-aggregation round (config {@code secagg.stage} names it, the payload
     * carries the stage's request). Answered by the node's {@code SecAggNode} middleware; a
     * workload never sees it and refuses it if it does (the node runs without that middleware).
     */
    SECAGG
}
