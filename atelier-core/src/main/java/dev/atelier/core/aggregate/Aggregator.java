package dev.atelier.core.aggregate;

import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;

/**
 * Folds replies into one parameter set as they arrive (FLARE's accept/aggregate shape).
 *
 * <p>Implementations are thread-safe: transports call {@link #accept} from their own threads.
 * Mean-type aggregators keep O(model) memory; order-statistic ones (median, Krum) must see every
 * update and say so in their docs.
 */
public interface Aggregator {
    /** Folds in one validated reply. */
    void accept(Reply reply);

    /** Number of replies accepted so far. */
    int accepted();

    /**
     * The aggregate of everything accepted, over the names of the first accepted reply.
     *
     * @throws IllegalStateException when nothing was accepted
     */
    ParamSet result();
}
