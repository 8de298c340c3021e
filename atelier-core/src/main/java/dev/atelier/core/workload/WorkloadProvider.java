package dev.atelier.core.workload;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import java.nio.file.Path;

/**
 * A named workload ({@code classifier}, {@code sketch}, ...) as both sides of a deployment need
 * it: the coordinator asks for the initial shared parameters, a node for its {@link Workload}.
 * Found with {@link java.util.ServiceLoader}; see {@link WorkloadRegistry}.
 */
public interface WorkloadProvider {
    /** Name used on the command line ({@code --workload NAME}). */
    String name();

    /** The global shared parameters before round 1, deterministic given {@code config}. */
    ParamSet initialParameters(Config config) throws Exception;

    /**
     * A node's workload over its own data.
     *
     * @param nodeId   the node's identity
     * @param dataDir  the node's local data folder, or null to use the workload's default source
     * @param stateDir where the node may keep local state between rounds (never sent)
     * @param config   workload settings
     */
    Workload createNode(String nodeId, Path dataDir, Path stateDir, Config config) throws Exception;
}
