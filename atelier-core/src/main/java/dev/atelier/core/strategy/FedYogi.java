package dev.atelier.core.strategy;

import dev.atelier.core.message.Config;

/**
 * FedYogi (Reddi et al., "Adaptive Federated Optimization", ICLR 2021; Yogi from Zaheer et al.,
 * NeurIPS 2018): {@link FedOpt} with the additive second moment
 * {@code v ← v − (1 − β₂) Δ² sign(v − Δ²)}, which changes v by at most (1 − β₂)Δ² per round and
 * so adapts more cautiously than Adam when gradients grow. Not thread-safe (see {@link Strategy}).
 */
public class FedYogi extends FedOpt {
    public FedYogi(Sampling sampling, Config trainConfig, FedOptSettings settings) {
        super(sampling, trainConfig, settings);
    }

    /** With {@link FedOptSettings#yogiDefaults()}. */
    public FedYogi(Sampling sampling, Config trainConfig) {
        this(sampling, trainConfig, FedOptSettings.yogiDefaults());
    }

    @Override
    public String name() {
        return "fedyogi";
    }

    @Override
    protected double secondMoment(double v, double gradSq, double beta2) {
        return v - (1 - beta2) * gradSq * Math.signum(v - gradSq);
    }
}
