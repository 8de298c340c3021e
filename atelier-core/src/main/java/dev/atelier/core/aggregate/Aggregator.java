package dev.atelier.core.aggregate;

import dev.atelier.core.filter.RejectedPayloadException;
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
    /**
     * Folds in one validated reply.
     *
     * @throws RejectedPayloadException when the reply cannot be combined with the earlier ones
     *                                  (names, shapes, dtypes, a value the rule cannot represent);
     *                                  nothing of it has been folded in. Any other exception means
     *                                  the aggregate can no longer be trusted.
     */
    void accept(Reply reply) throws RejectedPayloadException;

    /** Number of replies accepted so far. */
    int accepted();

    /**
     * The aggregate of everything accepted, over the names of the first accepted reply.
     *
     * @throws IllegalStateException when nothing was accepted
     */
    ParamSet result();
}
