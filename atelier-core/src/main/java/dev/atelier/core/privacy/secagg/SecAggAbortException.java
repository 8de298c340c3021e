package dev.atelier.core.privacy.secagg;

/** A SecAgg round that cannot finish without revealing something, or cannot finish at all; names the stage and why. */
public final class SecAggAbortException extends RuntimeException {
    private final SecAggStage stage;

    public SecAggAbortException(SecAggStage stage, String reason) {
        super("secure aggregation aborted at " + stage.wireName() + ": " + reason);
        this.stage = stage;
    }

    public SecAggStage stage() {
        return stage;
    }
}
