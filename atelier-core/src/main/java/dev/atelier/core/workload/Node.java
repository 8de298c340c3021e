package dev.atelier.core.workload;

import dev.atelier.core.filter.PayloadFilter;
import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;

/**
 * A node as transports see it: a workload wrapped in its privacy filters. Incoming parameters
 * pass {@code inbound} before the workload sees them; the reply passes {@code outbound} before it
 * leaves, so what a node shares is decided here, on the node, whatever the workload returns.
 */
public final class Node {
    private final String nodeId;
    private final Workload workload;
    private final PayloadFilter inbound;
    private final PayloadFilter outbound;

    public Node(String nodeId, Workload workload, PayloadFilter inbound, PayloadFilter outbound) {
        this.nodeId = nodeId;
        this.workload = workload;
        this.inbound = inbound;
        this.outbound = outbound;
    }

    public Node(String nodeId, Workload workload) {
        this(nodeId, workload, PayloadFilter.identity(), PayloadFilter.identity());
    }

    public String nodeId() {
        return nodeId;
    }

    public Workload workload() {
        return workload;
    }

    /** Runs one instruction through inbound filter, workload and outbound filter. */
    public Reply handle(Instruction instruction) throws Exception {
        if (!instruction.nodeId().equals(nodeId)) {
            throw new IllegalArgumentException(
                    "instruction for node " + instruction.nodeId() + " delivered to " + nodeId);
        }
        try {
            Reply reply = workload.handle(instruction.withParams(inbound.process(instruction.params())));
            return reply.withParams(outbound.process(reply.params()));
        } catch (RejectedPayloadException e) {
            throw new IllegalStateException("node " + nodeId + " filter refused payload: " + e.getMessage(), e);
        }
    }
}
