package dev.atelier.core.filter;

import dev.atelier.core.params.ParamSet;

/**
 * A transform applied to parameters at a task-data or task-result point (FLARE's filter shape):
 * selection (which names are shared), privacy (clipping, noise, masking) or validation. A filter
 * either returns the (possibly transformed) set or throws {@link RejectedPayloadException} with a
 * reason; it never mutates its input. Implementations validate their own configuration at
 * construction and are thread-safe.
 */
@FunctionalInterface
public interface PayloadFilter {
    ParamSet process(ParamSet params) throws RejectedPayloadException;

    /** This filter followed by {@code next}. */
    default PayloadFilter then(PayloadFilter next) {
        return p -> next.process(process(p));
    }

    static PayloadFilter identity() {
        return p -> p;
    }
}
