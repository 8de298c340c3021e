package dev.atelier.ml.train;

/**
 * Local supervised training settings.
 *
 * @param steps       optimizer steps
 * @param batchSize   examples per step
 * @param lr          Adam learning rate
 * @param proximalMu  FedProx coefficient: adds {@code mu/2 * ||w - w_global||^2} to the loss (0 = off)
 * @param seed        seeds batch sampling (pure Java, reproducible)
 * @param cosineDecay decay the learning rate along a cosine to lr/100 over {@code steps} (central
 *                    training); federated rounds keep it constant
 */
public record TrainSettings(int steps, int batchSize, float lr, float proximalMu, long seed, boolean cosineDecay) {
    public TrainSettings {
        if (steps < 0 || batchSize < 1 || !(lr > 0) || proximalMu < 0) {
            throw new IllegalArgumentException("invalid training settings: steps=" + steps + " batch=" + batchSize
                    + " lr=" + lr + " mu=" + proximalMu);
        }
    }

    /** Constant learning rate. */
    public TrainSettings(int steps, int batchSize, float lr, float proximalMu, long seed) {
        this(steps, batchSize, lr, proximalMu, seed, false);
    }
}
