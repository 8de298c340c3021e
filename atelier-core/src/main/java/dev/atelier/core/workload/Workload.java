package dev.atelier.core.workload;

import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;

/**
 * Node-side work (Flower's ClientApp, FLARE's executor): one instance per node, owning that node's
 * local data and local state (e.g. a generator or BatchNorm statistics that never leave it).
 * A workload never knows which transport delivered the instruction.
 *
 * <p>Called by one thread at a time per instance.
 */
public interface Workload {
    /**
     * Performs the task and returns its result.
     *
     * @throws Exception any failure; the node reports it to the coordinator as a failed reply
     */
    Reply handle(Instruction instruction) throws Exception;
}
