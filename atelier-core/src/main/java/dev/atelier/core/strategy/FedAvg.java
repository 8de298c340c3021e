package dev.atelier.core.strategy;

import dev.atelier.core.aggregate.Aggregator;
import dev.atelier.core.aggregate.WeightedMeanAggregator;
import dev.atelier.core.message.Config;

/**
 * Federated Averaging (McMahan et al., "Communication-Efficient Learning of Deep Networks from
 * Decentralized Data", AISTATS 2017): the example-weighted mean of the nodes' parameters,
 * aggregated in streaming fashion.
 */
public class FedAvg extends Strategy {
    public FedAvg(Sampling sampling, Config trainConfig) {
        super(sampling, trainConfig);
    }

    @Override
    public String name() {
        return "fedavg";
    }

    @Override
    public Aggregator newAggregator(int round) {
        return new WeightedMeanAggregator();
    }
}
