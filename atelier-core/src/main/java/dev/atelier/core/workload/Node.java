package dev.atelier.core.workload;

import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.util.Cancellation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A node as transports see it: its id, an ordered {@link NodeMiddleware} chain and the
 * {@link Workload} at the chain's end. Both transports run the same object (built by the
 * {@link WorkloadProvider}), so what a node shares is decided here, on the node, whatever the
 * workload returns and whichever transport carries it.
 *
 * <p>Order: {@code middleware.get(0)} is outermost. An instruction passes {@code middleware[0]},
 * {@code middleware[1]}, ... then the workload; the reply passes them back in reverse, so
 * {@code middleware[0]} sees the instruction exactly as it arrived and the reply exactly as it
 * leaves. A middleware that answers by itself short-circuits everything after it.
 *
 * <p>Called by one thread at a time. Closing the node closes the workload and any middleware
 * that is {@link AutoCloseable} (native memory of DJL models).
 */
public final class Node implements AutoCloseable {
    private final String nodeId;
    private final List<NodeMiddleware> middleware;
    private final Workload workload;
    private final Workload chain;

    /**
     * @param middleware outermost first; empty for a node that shares whatever its workload returns
     */
    public Node(String nodeId, List<NodeMiddleware> middleware, Workload workload) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.middleware = List.copyOf(middleware);
        this.workload = Objects.requireNonNull(workload, "workload");
        Workload c = workload;
        for (int i = this.middleware.size() - 1; i >= 0; i--) {
            NodeMiddleware m = this.middleware.get(i);
            Workload next = c;
            c = (ins, cancel) -> m.handle(ins, cancel, next);
        }
        this.chain = c;
    }

    /** A node without middleware. */
    public Node(String nodeId, Workload workload) {
        this(nodeId, List.of(), workload);
    }

    public String nodeId() {
        return nodeId;
    }

    /** The workload at the end of the chain (simulations inspect its local state). */
    public Workload workload() {
        return workload;
    }

    /** The chain, outermost first. */
    public List<NodeMiddleware> middleware() {
        return middleware;
    }

    /** This node with {@code outer} in front of its chain (sees what arrives and what leaves, e.g. a wire audit). */
    public Node withOuter(NodeMiddleware outer) {
        List<NodeMiddleware> all = new ArrayList<>(middleware.size() + 1);
        all.add(Objects.requireNonNull(outer, "outer"));
        all.addAll(middleware);
        return new Node(nodeId, all, workload);
    }

    /**
     * Runs one instruction through the chain.
     *
     * @throws IllegalArgumentException when the instruction is addressed to another node
     * @throws java.util.concurrent.CancellationException when {@code cancel} was cancelled before
     *     the work started, or the workload stopped early because of it
     */
    public Reply handle(Instruction instruction, Cancellation cancel) throws Exception {
        if (!instruction.nodeId().equals(nodeId)) {
            throw new IllegalArgumentException(
                    "instruction for node " + instruction.nodeId() + " delivered to " + nodeId);
        }
        cancel.throwIfCancelled();
        return chain.handle(instruction, cancel);
    }

    /** Closes the workload and middleware; the first failure is rethrown (unchecked), later ones suppressed. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Object part : parts()) {
            if (part instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    RuntimeException r = e instanceof RuntimeException re
                            ? re
                            : new IllegalStateException("closing node " + nodeId + ": " + e.getMessage(), e);
                    if (first == null) {
                        first = r;
                    } else {
                        first.addSuppressed(r);
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private List<Object> parts() {
        List<Object> all = new ArrayList<>(middleware);
        all.add(workload);
        return all;
    }
}
