package dev.atelier.zo.fed;

import dev.atelier.core.message.Config;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.Strategy;
import dev.atelier.core.strategy.StrategyParam;
import dev.atelier.core.strategy.StrategyProvider;
import java.util.List;

/**
 * Registers {@link FedKSeed} with the strategy registry as {@code fedkseed[:k=1024]} (k = seed pool
 * size, at most 65536), for {@code atelier zo simulate} and the coordinator's {@code strategy} key.
 */
public final class FedKSeedProvider implements StrategyProvider {
    static final StrategyParam K = new StrategyParam("k", true, 1, true, SeedPool.MAX_K, true, FedKSeed.DEFAULT_K);

    @Override
    public String name() {
        return FedKSeed.NAME;
    }

    @Override
    public List<StrategyParam> params() {
        return List.of(K);
    }

    @Override
    public Strategy create(List<Double> values, Sampling sampling, Config trainConfig) {
        return new FedKSeed(sampling, trainConfig, values.get(0).intValue());
    }
}
