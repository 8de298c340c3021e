package dev.atelier.core.workload;

import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.util.Cancellation;

/**
 * Node-side work (Flower's ClientApp, FLARE's executor): one instance per node, owning that node's
 * local data and local state (e.g. a generator or BatchNorm statistics that never leave it).
 * A workload never knows which transport delivered the instruction; it runs at the end of its
 * {@link Node}'s middleware chain.
 *
 * <p>Called by one thread at a time per instance.
 */
@FunctionalInterface
public interface Workload {
    /**
     * Performs the task and returns its result.
     *
     * @param cancel cancelled at the round deadline or when the node stops; long work checks it
     *               between steps ({@link Cancellation#throwIfCancelled()}) since a step cannot be
     *               pre-empted. A reply returned after it was cancelled is discarded by the transport.
     * @throws Exception any failure; the node reports it to the coordinator as a failed reply
     */
    Reply handle(Instruction instruction, Cancellation cancel) throws Exception;
}
