package dev.atelier.core.strategy;

import dev.atelier.core.aggregate.Aggregator;
import dev.atelier.core.aggregate.CollectingAggregator;
import dev.atelier.core.aggregate.RobustMath;
import dev.atelier.core.message.Config;
import java.util.List;

/**
 * Multi-Krum (Blanchard, El Mhamdi, Guerraoui, Stainer, "Machine Learning with Adversaries:
 * Byzantine Tolerant Gradient Descent", NeurIPS 2017): score each reply by the summed squared
 * distance to its {@code n − f − 2} nearest other replies (whole model as one vector), keep the
 * {@code m} lowest-scoring ones and take their example-weighted mean. Tolerates up to {@code f}
 * Byzantine replies when {@code n > 2f + 2}.
 *
 * <p>Validated at construction against the sampling: {@code minReplies > 2f + 2} and
 * {@code m <= minReplies − f}, so every round {@code Run} aggregates has enough replies; an
 * aggregator used directly with too few fails in {@link Aggregator#result()} with the reason.
 * Needs every update: coordinator memory is O(replies × model) (see {@link CollectingAggregator}).
 * Not thread-safe (see {@link Strategy}).
 */
public class MultiKrum extends CollectingStrategy {
    private final int byzantine;
    private final int selected;

    /**
     * @param byzantine f, the assumed number of Byzantine nodes per round, {@code >= 0}
     * @param selected  m, how many lowest-scoring replies are averaged, {@code >= 1}
     */
    public MultiKrum(Sampling sampling, Config trainConfig, int byzantine, int selected) {
        super(sampling, trainConfig);
        if (byzantine < 0) {
            throw new IllegalArgumentException("Krum's Byzantine count f must be >= 0, got " + byzantine);
        }
        if (selected < 1) {
            throw new IllegalArgumentException("Multi-Krum must select m >= 1 replies, got " + selected);
        }
        int minReplies = sampling.minReplies();
        if (minReplies <= 2 * byzantine + 2) {
            throw new IllegalArgumentException(
                    "Krum with f=" + byzantine + " needs more than 2f+2=" + (2 * byzantine + 2)
                            + " replies per round; raise the sampling's minReplies (now " + minReplies + ")");
        }
        if (selected > minReplies - byzantine) {
            throw new IllegalArgumentException("Multi-Krum m=" + selected + " exceeds minReplies - f = "
                    + (minReplies - byzantine) + ": a round could be forced to average a Byzantine reply");
        }
        this.byzantine = byzantine;
        this.selected = selected;
    }

    public final int byzantine() {
        return byzantine;
    }

    public final int selected() {
        return selected;
    }

    @Override
    public String name() {
        return "multikrum";
    }

    @Override
    protected String ruleName() {
        return name() + "(f=" + byzantine + ", m=" + selected + ")";
    }

    @Override
    protected float[] combine(List<float[]> updates, double[] weights) {
        return RobustMath.weightedMean(updates, weights, RobustMath.krumSelect(updates, byzantine, selected));
    }
}
