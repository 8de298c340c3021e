package dev.atelier.core.strategy;

import dev.atelier.core.message.Config;
import java.util.List;

/**
 * A strategy that lives outside atelier-core (because it needs a workload's code, e.g. the
 * zeroth-order federation's replay of seeds on the coordinator's model), registered under
 * {@code META-INF/services/dev.atelier.core.strategy.StrategyProvider} and found by
 * {@link StrategyRegistry} like the built-in ones: {@code fedkseed:k=1024} then works in
 * {@code simulate --strategy} and the coordinator's {@code strategy} key alike. A provider may not
 * reuse a built-in name. Implementations are stateless and thread-safe.
 */
public interface StrategyProvider {
    /** The registry name, lower case, e.g. {@code fedkseed}. */
    String name();

    /** The parameters the spec text accepts, in spec order (range-checked by the registry). */
    List<StrategyParam> params();

    /**
     * A new strategy.
     *
     * @param values the parameter values, index-aligned with {@link #params()}, already in range
     * @throws IllegalArgumentException when the sampling or train config does not suit it
     */
    Strategy create(List<Double> values, Sampling sampling, Config trainConfig);
}
