package dev.atelier.core.message;

/** What an {@link Instruction} asks a node to do. */
public enum TaskKind {
    /** Train locally starting from the sent parameters and return an update. */
    TRAIN,
    /** Evaluate the sent parameters on local held-out data; return metrics only. */
    EVALUATE,
    /** Compute a federated statistic (counts, style cards); return a small payload. */
    ANALYTICS
}
