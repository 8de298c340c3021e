package dev.atelier.core.strategy;

/** Config keys every strategy may send with a train instruction; workloads read them by these names. */
public final class TrainKeys {
    /** 1-based round number. */
    public static final String ROUND = "round";
    /** FedProx proximal coefficient mu (0 = plain local training). */
    public static final String PROXIMAL_MU = "proximal_mu";
    /** Local optimisation steps per round. */
    public static final String LOCAL_STEPS = "local_steps";
    /** Local learning rate. */
    public static final String LEARNING_RATE = "lr";
    /** Local batch size. */
    public static final String BATCH_SIZE = "batch_size";

    private TrainKeys() {}
}
