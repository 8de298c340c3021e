package dev.atelier.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Map;

/**
 * Applies a DJL {@link Optimizer} to a fixed set of parameters without a DJL {@code Trainer}:
 * several optimizers (generator, discriminator) can share one model, each zeroing and updating
 * only its own parameters. Not thread-safe.
 */
public final class ParamOptimizer {
    private final Map<String, Parameter> params;
    private final Optimizer optimizer;

    public ParamOptimizer(Map<String, Parameter> params, Optimizer optimizer) {
        this.params = Map.copyOf(params);
        this.optimizer = optimizer;
    }

    public static ParamOptimizer adam(Map<String, Parameter> params, float lr, float beta1, float beta2) {
        return new ParamOptimizer(
                params,
                Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(lr))
                        .optBeta1(beta1)
                        .optBeta2(beta2)
                        .build());
    }

    /** Adam whose learning rate follows a cosine from {@code lr} to {@code finalLr} over {@code steps} updates. */
    public static ParamOptimizer adamCosine(Map<String, Parameter> params, float lr, float finalLr, int steps) {
        return new ParamOptimizer(
                params,
                Optimizer.adam()
                        .optLearningRateTracker(cosine(lr, finalLr, steps))
                        .build());
    }

    /**
     * The learning-rate schedule of every cosine decay here: {@code lr} at update 0, then
     * {@code finalLr + (lr - finalLr) * (1 + cos(pi * t / steps)) / 2} at update {@code t}, and
     * {@code finalLr} from update {@code steps} on. DJL's Adam asks for update 1 first.
     *
     * @param steps updates the decay lasts (values below 1 count as 1)
     */
    public static Tracker cosine(float lr, float finalLr, int steps) {
        return Tracker.cosine()
                .setBaseValue(lr)
                .optFinalValue(finalLr)
                .setMaxUpdates(Math.max(1, steps))
                .build();
    }

    /** Clears accumulated gradients; call before each backward pass. */
    public void zeroGradients() {
        for (Parameter p : params.values()) {
            NDArray a = p.getArray();
            if (a.hasGradient()) {
                NDArray g = a.getGradient();
                g.subi(g);
                g.close();
            }
        }
    }

    /** One optimizer step on every trainable parameter that received a gradient. */
    public void step() {
        for (Parameter p : params.values()) {
            if (!p.requiresGradient()) {
                continue;
            }
            NDArray a = p.getArray();
            if (!a.hasGradient()) {
                continue;
            }
            try (NDArray g = a.getGradient()) {
                optimizer.update(p.getId(), a, g);
            }
        }
    }
}
