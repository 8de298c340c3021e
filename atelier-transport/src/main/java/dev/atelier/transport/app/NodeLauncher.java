package dev.atelier.transport.app;

import dev.atelier.core.message.Config;
import dev.atelier.core.privacy.secagg.SecAggNode;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.WorkloadProvider;
import dev.atelier.core.workload.WorkloadRegistry;
import dev.atelier.transport.node.NodeFactory;
import dev.atelier.transport.node.NodeListener;
import dev.atelier.transport.node.NodeRuntime;
import dev.atelier.transport.node.NodeRuntimeBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Assembles a node process from its command-line settings: the workload comes from the
 * {@link WorkloadRegistry}, its settings from the coordinator at registration, its data from
 * {@code dataDir} (never sent anywhere). The provider builds the whole node (workload and its
 * middleware) through the same function its in-process simulation uses.
 *
 * @param coordinator   {@code HOST:PORT}
 * @param certDir       certificate bundle (cert.pem, key.pem, ca.crt), or null with {@code insecureName}
 * @param insecureName  node name in insecure loopback mode, else null
 * @param serverName    expected coordinator certificate name when it differs from the host, or null
 * @param workload      workload name
 * @param dataDir       the node's local data, or null for the workload's default
 * @param stateDir      node-local state and scratch space
 * @param properties    self-declared facts sent at registration
 * @param backoffMax    longest reconnect delay
 */
public record NodeLauncher(
        String coordinator,
        Path certDir,
        String insecureName,
        String serverName,
        String workload,
        Path dataDir,
        Path stateDir,
        Map<String, String> properties,
        Duration backoffMax) {
    public NodeLauncher {
        properties = Map.copyOf(properties);
    }

    public NodeRuntime build(NodeListener listener) throws IOException {
        WorkloadProvider provider = WorkloadRegistry.get(workload);
        if (dataDir != null && !Files.isDirectory(dataDir)) {
            throw new IOException("--data " + dataDir + " is not a folder");
        }
        if (certDir != null && !Files.isRegularFile(certDir.resolve("cert.pem"))) {
            throw new IOException("no cert.pem in --cert-dir " + certDir
                    + " — copy the bundle made by `atelier certs issue NAME` there");
        }
        Files.createDirectories(stateDir);
        NodeRuntimeBuilder b = NodeRuntime.builder()
                .setCoordinator(coordinator)
                .setWorkload(workload)
                .setWorkDir(stateDir.resolve("transport"))
                .optProperties(properties)
                .optBackoff(Duration.ofMillis(500), backoffMax)
                .optListener(listener)
                .setNodeFactory(nodeFactory(provider));
        if (insecureName != null) {
            b.optInsecure(insecureName);
        } else {
            b.setCertBundle(certDir);
        }
        if (serverName != null) {
            b.optServerName(serverName);
        }
        return b.build();
    }

    /** Builds the node through {@code provider} from the coordinator's settings merged by {@link #withOwn}. */
    NodeFactory nodeFactory(WorkloadProvider provider) {
        return new NodeFactory() {
            @Override
            public Node create(String id, Config config) throws Exception {
                return provider.createNode(id, dataDir, stateDir.resolve("workload"), withOwn(config))
                        .withOuter(new SecAggNode());
            }

            @Override
            public void prepare() throws Exception {
                provider.prepareNode(dataDir, stateDir.resolve("workload"));
            }
        };
    }

    /**
     * The coordinator's workload settings with this node's own declared properties under {@link
     * WorkloadProvider#DECLARED_PREFIX}; declared keys the coordinator sent are dropped, so it
     * cannot speak for the node.
     */
    private Config withOwn(Config config) {
        java.util.TreeMap<String, String> v = new java.util.TreeMap<>(config.values());
        v.keySet().removeIf(k -> k.startsWith(WorkloadProvider.DECLARED_PREFIX));
        properties.forEach((k, value) -> v.put(WorkloadProvider.DECLARED_PREFIX + k, value));
        return new Config(v);
    }

    /** How long a stopping node may take to finish its upload or report its cancelled work. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

    /**
     * Builds and runs the node until it is stopped or refused; SIGTERM (or Ctrl-C) stops it
     * gracefully ({@link NodeRuntime#shutdown}, at most {@link #SHUTDOWN_GRACE}) and prints one line
     * on {@code err}.
     *
     * @return true when the run finished its last round (the coordinator said so), false when the
     *     node was stopped
     * @throws NodeRefusedException the coordinator refused this node for a reason retrying cannot fix
     */
    public boolean run(NodeListener listener, java.io.PrintStream err) throws Exception {
        NodeRuntime runtime = build(listener);
        Thread hook = new Thread(
                () -> {
                    err.println("node: stop signal received; finishing or cancelling the current work (at most "
                            + SHUTDOWN_GRACE.toSeconds() + " s)");
                    try {
                        err.println("node: " + runtime.shutdown(SHUTDOWN_GRACE));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    err.flush();
                },
                "atelier-node-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            runtime.run();
            return runtime.runComplete();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
    }
}
