package dev.atelier.transport.node;

import dev.atelier.core.message.Config;
import dev.atelier.core.workload.Node;

/**
 * Creates the node's {@link Node} (workload and middleware, usually from
 * {@link dev.atelier.core.workload.WorkloadProvider#createNode}) once its identity and the run's
 * workload settings are known (after the first registration; the node heartbeats meanwhile).
 * Called once per runtime, which closes the node when it ends.
 */
@FunctionalInterface
public interface NodeFactory {
    /**
     * @param nodeId         the identity the coordinator confirmed (the certificate name)
     * @param workloadConfig workload settings shared by every node of the run
     */
    Node create(String nodeId, Config workloadConfig) throws Exception;

    /**
     * Slow work that needs neither the identity nor the run's settings (e.g. training or loading
     * a cached feature network), done once before the node first registers so that it is ready
     * when round 1 comes. Default: nothing. A failure is logged and {@link #create} runs anyway.
     */
    default void prepare() throws Exception {}
}
