package dev.atelier.core.workload;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import java.nio.file.Path;

/**
 * A named workload ({@code classifier}, {@code sketch}, ...) as both sides of a deployment need
 * it: the coordinator asks for the initial shared parameters, a node for its whole processing
 * ({@link Node}: the workload and the middleware that decides what enters and leaves it). Found
 * with {@link java.util.ServiceLoader}; see {@link WorkloadRegistry}.
 *
 * <p>A provider builds its node through one function that its in-process simulation calls too,
 * so a simulated node and a deployed one share data the same way.
 */
public interface WorkloadProvider {
    /**
     * A deployed node's own declared properties ({@code atelier node --memory-budget}, ...) reach
     * {@link #createNode}'s config under this prefix (e.g. {@code declared.memory_budget_bytes}),
     * so the workload can hold itself to them; keys with this prefix from the coordinator are
     * dropped first.
     */
    String DECLARED_PREFIX = "declared.";

    /** Name used on the command line ({@code --workload NAME}). */
    String name();

    /** The global shared parameters before round 1, deterministic given {@code config}. */
    ParamSet initialParameters(Config config) throws Exception;

    /**
     * A node over its own data: its workload behind the workload's middleware chain. The caller
     * owns the node and closes it.
     *
     * @param nodeId   the node's identity
     * @param dataDir  the node's local data folder, or null to use the workload's default source
     * @param stateDir where the node may keep local state between rounds (never sent)
     * @param config   workload settings
     */
    Node createNode(String nodeId, Path dataDir, Path stateDir, Config config) throws Exception;

    /**
     * A deployed node's slow work that needs neither its identity nor the run's settings (filling
     * a cache, e.g. training the public feature network on a first run), done before it registers
     * so that building the node afterwards is quick. Default: nothing.
     *
     * @param dataDir the node's local data folder, or null
     * @param stateDir the node's local state folder
     */
    default void prepareNode(Path dataDir, Path stateDir) throws Exception {}
}
