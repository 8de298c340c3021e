package dev.atelier.core.strategy;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.NodeInfo;

/**
 * FedProx (Li, Sahu, Zaheer, Sanjabi, Talwalkar, Smith, "Federated Optimization in Heterogeneous
 * Networks", MLSys 2020): FedAvg whose nodes minimise the local loss plus the proximal term
 * {@code (mu / 2) · ||w - w_global||²}, which limits client drift on heterogeneous data.
 *
 * <p>The coordinator side is FedAvg plus one override: every train instruction carries
 * {@link TrainKeys#PROXIMAL_MU}. The proximal term itself runs on the node (workloads read the
 * key; {@code mu = 0} is plain local training). Not thread-safe (see {@link Strategy}).
 */
public class FedProx extends FedAvg {
    private final double mu;

    /**
     * @param mu proximal coefficient, finite and {@code >= 0}; if {@code trainConfig} already sets
     *           {@link TrainKeys#PROXIMAL_MU} it must agree, so two sources never silently disagree
     */
    public FedProx(Sampling sampling, Config trainConfig, double mu) {
        super(sampling, trainConfig);
        if (!(mu >= 0) || Double.isInfinite(mu)) {
            throw new IllegalArgumentException("FedProx mu must be finite and >= 0, got " + mu);
        }
        if (trainConfig.has(TrainKeys.PROXIMAL_MU) && trainConfig.getDouble(TrainKeys.PROXIMAL_MU, mu) != mu) {
            throw new IllegalArgumentException("FedProx mu=" + mu + " contradicts config '" + TrainKeys.PROXIMAL_MU
                    + "'=" + trainConfig.getString(TrainKeys.PROXIMAL_MU, ""));
        }
        this.mu = mu;
    }

    /** FedProx with mu read from {@code trainConfig}'s {@link TrainKeys#PROXIMAL_MU}, which is required. */
    public static FedProx fromConfig(Sampling sampling, Config trainConfig) {
        if (!trainConfig.has(TrainKeys.PROXIMAL_MU)) {
            throw new IllegalArgumentException("FedProx needs config '" + TrainKeys.PROXIMAL_MU + "'");
        }
        return new FedProx(sampling, trainConfig, trainConfig.getDouble(TrainKeys.PROXIMAL_MU, 0));
    }

    public final double mu() {
        return mu;
    }

    @Override
    public String name() {
        return "fedprox";
    }

    @Override
    protected Config roundConfig(int round, NodeInfo node) {
        return super.roundConfig(round, node).with(TrainKeys.PROXIMAL_MU, mu);
    }
}
