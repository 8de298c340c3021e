package dev.atelier.core.workload;

import dev.atelier.core.filter.PayloadFilter;
import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.util.Cancellation;
import java.util.Objects;

/**
 * One link of a node's processing chain (Flower's client mods): it sees every {@link Instruction}
 * on its way to the workload and every {@link Reply} on its way out. A middleware may
 *
 * <ul>
 *   <li>transform the instruction before passing it on (inbound parameter selection),</li>
 *   <li>transform the reply {@code next} returned (outbound selection, clipping, noise),</li>
 *   <li>answer an instruction itself without calling {@code next} (an extra protocol stage, e.g.
 *       a secure-aggregation key exchange the workload knows nothing of),</li>
 *   <li>refuse by throwing; the transport reports the message as the node's failure reason.</li>
 * </ul>
 *
 * <p>{@code next} is the rest of the chain, ending at the workload; it is valid only during the
 * call. Implementations are called by one thread at a time per node; stateless ones (filters)
 * are thread-safe and may be shared between nodes. See {@link Node} for the chain's order.
 */
@FunctionalInterface
public interface NodeMiddleware {
    /**
     * Handles {@code instruction}, usually by calling {@code next.handle} with it (or a
     * transformed copy) and returning that reply (or a transformed copy).
     */
    Reply handle(Instruction instruction, Cancellation cancel, Workload next) throws Exception;

    /**
     * Applies {@code inbound} to the instruction's parameters before the rest of the chain sees
     * them and {@code outbound} to the reply's parameters before they leave (FLARE's task-data and
     * task-result filter points). Selection ({@link dev.atelier.core.filter.GlobFilter}),
     * clipping and noise are payload filters placed here. A refused payload fails the
     * instruction with a {@link RejectedPayloadException} naming the node, the direction and the reason.
     */
    static NodeMiddleware filtering(PayloadFilter inbound, PayloadFilter outbound) {
        Objects.requireNonNull(inbound, "inbound");
        Objects.requireNonNull(outbound, "outbound");
        return (ins, cancel, next) -> {
            Instruction in;
            try {
                in = ins.withParams(inbound.process(ins.params()));
            } catch (RejectedPayloadException e) {
                throw refused(ins, "inbound", e);
            }
            Reply reply = next.handle(in, cancel);
            try {
                return reply.withParams(outbound.process(reply.params()));
            } catch (RejectedPayloadException e) {
                throw refused(ins, "outbound", e);
            }
        };
    }

    private static RejectedPayloadException refused(Instruction ins, String direction, RejectedPayloadException e) {
        return new RejectedPayloadException(
                "node " + ins.nodeId() + " " + direction + " filter refused the payload: " + e.getMessage());
    }
}
