package dev.atelier.core.strategy;

import dev.atelier.core.aggregate.CollectingAggregator;
import dev.atelier.core.aggregate.RobustMath;
import dev.atelier.core.message.Config;
import java.util.List;

/**
 * Coordinate-wise median (Yin, Chen, Ramchandran, Bartlett, "Byzantine-Robust Distributed
 * Learning: Towards Optimal Statistical Rates", ICML 2018): each element of the new model is the
 * median of that element over the replies, so fewer than half of the replies cannot drag it outside
 * the range of the honest ones. Unweighted (example counts are ignored, as in Flower's FedMedian).
 *
 * <p>Needs every update: coordinator memory is O(replies × model) (see
 * {@link CollectingAggregator}). Not thread-safe (see {@link Strategy}).
 */
public class FedMedian extends CollectingStrategy {
    public FedMedian(Sampling sampling, Config trainConfig) {
        super(sampling, trainConfig);
    }

    @Override
    public String name() {
        return "fedmedian";
    }

    @Override
    protected float[] combine(List<float[]> updates, double[] weights) {
        return RobustMath.coordinateMedian(updates);
    }
}
