package dev.atelier.cli.common;

import dev.atelier.core.message.Config;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.Strategy;
import java.util.List;
import java.util.Locale;

/** Builds a {@link Strategy} from its command-line name. */
public final class StrategyFactory {
    public static final List<String> NAMES = List.of("fedavg", "fedprox");

    private StrategyFactory() {
    }

    /**
     * @param mu FedProx proximal coefficient (ignored by other strategies)
     */
    public static Strategy create(String name, Sampling sampling, Config trainConfig, double mu) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "fedavg" -> new FedAvg(sampling, trainConfig);
            case "fedprox" -> new FedAvg(sampling, trainConfig.with(dev.atelier.core.strategy.TrainKeys.PROXIMAL_MU, mu)) {
                @Override
                public String name() {
                    return "fedprox";
                }
            };
            default -> throw new IllegalArgumentException("unknown strategy '" + name + "' (choose one of " + String.join(", ", NAMES) + ")");
        };
    }
}
