package dev.atelier.core.strategy;

import dev.atelier.core.message.Config;

/**
 * Krum (Blanchard, El Mhamdi, Guerraoui, Stainer, "Machine Learning with Adversaries: Byzantine
 * Tolerant Gradient Descent", NeurIPS 2017): the single reply whose summed squared distance to its
 * {@code n − f − 2} nearest neighbours is smallest becomes the new model. {@link MultiKrum} with
 * {@code m = 1}; the same validation applies. Not thread-safe (see {@link Strategy}).
 */
public class Krum extends MultiKrum {
    /** @param byzantine f, the assumed number of Byzantine nodes per round; needs minReplies > 2f + 2 */
    public Krum(Sampling sampling, Config trainConfig, int byzantine) {
        super(sampling, trainConfig, byzantine, 1);
    }

    @Override
    public String name() {
        return "krum";
    }
}
