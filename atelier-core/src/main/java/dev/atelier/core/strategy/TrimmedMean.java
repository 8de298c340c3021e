package dev.atelier.core.strategy;

import dev.atelier.core.aggregate.CollectingAggregator;
import dev.atelier.core.aggregate.RobustMath;
import dev.atelier.core.message.Config;
import java.util.List;

/**
 * Coordinate-wise trimmed mean (Yin, Chen, Ramchandran, Bartlett, "Byzantine-Robust Distributed
 * Learning: Towards Optimal Statistical Rates", ICML 2018): per element, drop the
 * {@code k = floor(β · n)} smallest and k largest of the n replies' values and average the rest.
 * With at most k Byzantine replies every kept value lies within the honest range. Unweighted, as
 * in Flower's FedTrimmedAvg.
 *
 * <p>Needs every update: coordinator memory is O(replies × model) (see
 * {@link CollectingAggregator}). Not thread-safe (see {@link Strategy}).
 */
public class TrimmedMean extends CollectingStrategy {
    private final double beta;

    /** @param beta fraction trimmed from each side, in [0, 0.5) */
    public TrimmedMean(Sampling sampling, Config trainConfig, double beta) {
        super(sampling, trainConfig);
        if (!(beta >= 0 && beta < 0.5)) {
            throw new IllegalArgumentException("trimmed mean beta must be in [0, 0.5), got " + beta);
        }
        this.beta = beta;
    }

    public final double beta() {
        return beta;
    }

    @Override
    public String name() {
        return "trimmedmean";
    }

    @Override
    protected String ruleName() {
        return name() + "(beta=" + beta + ")";
    }

    @Override
    protected float[] combine(List<float[]> updates, double[] weights) {
        return RobustMath.coordinateTrimmedMean(updates, RobustMath.trimCount(updates.size(), beta));
    }
}
