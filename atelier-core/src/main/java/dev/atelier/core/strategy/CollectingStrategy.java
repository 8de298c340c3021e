package dev.atelier.core.strategy;

import dev.atelier.core.aggregate.Aggregator;
import dev.atelier.core.aggregate.CollectingAggregator;
import dev.atelier.core.message.Config;
import java.util.List;

/**
 * A strategy whose rule needs all of a round's replies at once (median, trimmed mean, Krum): its
 * aggregator is a {@link CollectingAggregator}, so the coordinator holds O(replies × model) and
 * {@link ReplyMemoryBudget} checks that at start. Subclasses give the rule and how errors name it.
 * Not thread-safe (see {@link Strategy}).
 */
public abstract class CollectingStrategy extends Strategy {
    protected CollectingStrategy(Sampling sampling, Config trainConfig) {
        super(sampling, trainConfig);
    }

    @Override
    public final boolean holdsEveryReply() {
        return true;
    }

    @Override
    public final Aggregator newAggregator(int round) {
        return new CollectingAggregator(ruleName(), this::combine);
    }

    /** How errors name the rule, with its parameters, e.g. {@code krum(f=1, m=1)}; the name by default. */
    protected String ruleName() {
        return name();
    }

    /** The rule (see {@link CollectingAggregator.Rule#combine}); pure, throws when it cannot combine this many. */
    protected abstract float[] combine(List<float[]> updates, double[] weights);
}
