package dev.atelier.transport.app;

import dev.atelier.core.message.Config;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.Strategy;

/**
 * Builds the run's {@link Strategy} from its configured name. The CLI passes its full strategy
 * factory; {@link #FEDAVG_ONLY} serves embedders and tests.
 */
@FunctionalInterface
public interface StrategySource {
    Strategy create(String name, Sampling sampling, Config trainConfig);

    StrategySource FEDAVG_ONLY = (name, sampling, train) -> {
        if (!name.equalsIgnoreCase("fedavg")) {
            throw new IllegalArgumentException(
                    "strategy '" + name + "' is not available here (only fedavg); use the atelier CLI");
        }
        return new FedAvg(sampling, train);
    };
}
