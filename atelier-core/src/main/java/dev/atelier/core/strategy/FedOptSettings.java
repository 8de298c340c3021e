package dev.atelier.core.strategy;

/**
 * Hyperparameters of a server optimizer ({@link FedOpt}); validated at construction.
 *
 * @param eta   server learning rate η, {@code > 0}
 * @param beta1 first-moment decay β₁, in [0, 1)
 * @param beta2 second-moment decay β₂, in [0, 1)
 * @param tau   adaptivity τ added to √v, {@code > 0}; large τ approaches momentum SGD
 */
public record FedOptSettings(double eta, double beta1, double beta2, double tau) {
    public FedOptSettings {
        if (!(eta > 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("server learning rate eta must be finite and > 0, got " + eta);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("tau must be finite and > 0, got " + tau);
        }
    }

    /** Flower's FedAdam defaults: η = 1e-1, β₁ = 0.9, β₂ = 0.99, τ = 1e-9. */
    public static FedOptSettings adamDefaults() {
        return new FedOptSettings(1e-1, 0.9, 0.99, 1e-9);
    }

    /** Flower's FedYogi defaults: η = 1e-2, β₁ = 0.9, β₂ = 0.99, τ = 1e-3. */
    public static FedOptSettings yogiDefaults() {
        return new FedOptSettings(1e-2, 0.9, 0.99, 1e-3);
    }

    public FedOptSettings withEta(double newEta) {
        return new FedOptSettings(newEta, beta1, beta2, tau);
    }

    public FedOptSettings withBetas(double newBeta1, double newBeta2) {
        return new FedOptSettings(eta, newBeta1, newBeta2, tau);
    }

    public FedOptSettings withTau(double newTau) {
        return new FedOptSettings(eta, beta1, beta2, newTau);
    }
}
