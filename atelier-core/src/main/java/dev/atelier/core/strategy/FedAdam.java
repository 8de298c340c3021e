package dev.atelier.core.strategy;

import dev.atelier.core.message.Config;

/**
 * FedAdam (Reddi et al., "Adaptive Federated Optimization", ICLR 2021): {@link FedOpt} with
 * Adam's second moment {@code v ← β₂ v + (1 − β₂) Δ²}. Not thread-safe (see {@link Strategy}).
 */
public class FedAdam extends FedOpt {
    public FedAdam(Sampling sampling, Config trainConfig, FedOptSettings settings) {
        super(sampling, trainConfig, settings);
    }

    /** With {@link FedOptSettings#adamDefaults()}. */
    public FedAdam(Sampling sampling, Config trainConfig) {
        this(sampling, trainConfig, FedOptSettings.adamDefaults());
    }

    @Override
    public String name() {
        return "fedadam";
    }

    @Override
    protected double secondMoment(double v, double gradSq, double beta2) {
        return beta2 * v + (1 - beta2) * gradSq;
    }
}
