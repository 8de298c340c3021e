package dev.atelier.transport.node;

/**
 * The coordinator refused this node for a reason retrying cannot fix (certificate refused,
 * wrong workload, incompatible protocol). The message says why and what to do.
 */
public final class NodeRefusedException extends Exception {
    public NodeRefusedException(String reason) {
        super(reason);
    }
}
