package dev.atelier.transport.testing;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.WorkloadProvider;
import java.nio.file.Path;

/** Registers {@link LinearWorkload} as {@code linear} for the transport tests. */
public final class LinearWorkloadProvider implements WorkloadProvider {
    @Override
    public String name() {
        return "linear";
    }

    @Override
    public ParamSet initialParameters(Config config) {
        return LinearWorkload.initial(config);
    }

    @Override
    public Node createNode(String nodeId, Path dataDir, Path stateDir, Config config) {
        return new Node(nodeId, new LinearWorkload(nodeId, config));
    }
}
