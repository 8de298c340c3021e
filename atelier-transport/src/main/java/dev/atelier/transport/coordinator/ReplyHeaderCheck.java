package dev.atelier.transport.coordinator;

import dev.atelier.transport.proto.ReplyHeader;

/**
 * The checks a reply header must pass before any payload is admitted. The proto's uint32/uint64
 * fields arrive in Java ints/longs, so values past the signed range look negative; they are read
 * and printed unsigned here. Stateless.
 */
final class ReplyHeaderCheck {
    private ReplyHeaderCheck() {}

    /**
     * Why a reply header for {@code p} cannot be taken, or null: its round must be the
     * instruction's, {@code num_examples} below 2^63, {@code params_bytes} at most {@code limit}.
     */
    static String problem(ReplyHeader h, PendingInstruction p, long limit) {
        long round = Integer.toUnsignedLong(h.getRound());
        if (round != p.roundNumber()) {
            return "reply claims round " + round + " but instruction " + p.id + " is for round " + p.roundNumber();
        }
        if (h.getNumExamples() < 0) {
            return "malformed reply header: numExamples " + Long.toUnsignedString(h.getNumExamples())
                    + " exceeds the largest count a reply can hold (2^63-1)";
        }
        if (Long.compareUnsigned(h.getParamsBytes(), limit) > 0) {
            return "reply payload of " + Long.toUnsignedString(h.getParamsBytes()) + " bytes exceeds the limit of "
                    + limit + " bytes";
        }
        return null;
    }
}
