package dev.atelier.cli.deploy;

import dev.atelier.ml.engine.PyTorchThreads;
import dev.atelier.transport.app.NodeLauncher;
import dev.atelier.transport.node.NodeListener;
import dev.atelier.transport.node.NodeRefusedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code atelier node}: a designer's node; it dials the coordinator, trains on local data, sends only parameters and metrics. */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        description = {
            "Join a federation: pull instructions from the coordinator, train on local data, push parameters back.",
            "Raw data never leaves this machine; reconnects with backoff if the coordinator goes away."
        })
public final class NodeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--coordinator", required = true, description = "Coordinator address HOST:PORT.")
    String coordinator;

    @Option(
            names = "--cert-dir",
            description = "This node's certificate bundle (cert.pem, key.pem, ca.crt from `atelier certs issue`).")
    Path certDir;

    @Option(names = "--data", description = "Local data folder (default: the workload's default source).")
    Path data;

    @Option(
            names = "--workload",
            required = true,
            description = "Workload the coordinator runs, e.g. classifier or sketch.")
    String workload;

    @Option(
            names = "--state-dir",
            defaultValue = "node-state",
            description = "Local state and scratch space (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(
            names = "--server-name",
            description = "Name in the coordinator certificate when it differs from the HOST dialled.")
    String serverName;

    @Option(
            names = "--property",
            description = "KEY=VALUE fact announced at registration (repeatable), e.g. memory_gb=16.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(
            names = "--memory-budget",
            paramLabel = "SIZE",
            description = "Memory this node may use for training, e.g. 2GiB or 512MiB; declared at registration"
                    + " (property " + dev.atelier.zo.zorba.Declared.MEMORY_BUDGET + "). Strategy zorba allocates"
                    + " blocks within it and leaves the node out, saying why, when even the smallest set does not fit;"
                    + " the zo workload also refuses an instruction whose predicted peak exceeds it.")
    String memoryBudget;

    @Option(names = "--insecure", description = "Plaintext, no certificate: loopback demos only (requires --name).")
    boolean insecure;

    @Option(names = "--name", description = "Node name in --insecure mode (with TLS the name is the certificate's).")
    String name;

    @Option(
            names = "--max-backoff",
            defaultValue = "30",
            description = "Longest reconnect delay in seconds (default: ${DEFAULT-VALUE}).")
    double maxBackoff;

    @Option(
            names = "--torch-threads",
            paramLabel = "N|auto",
            defaultValue = "auto",
            description = "PyTorch intra-op threads of this node (default: ${DEFAULT-VALUE}: this machine's processors"
                    + " divided among the atelier nodes running on it, at least 1, so several nodes on one host do"
                    + " not oversubscribe it; -Dai.djl.pytorch.num_threads overrides).")
    String torchThreads;

    @Override
    public Integer call() throws Exception {
        if (PyTorchThreads.configuredIntraOp() == null) {
            String why = "";
            int threads;
            if (torchThreads.equals("auto")) {
                int processors = Runtime.getRuntime().availableProcessors();
                int nodes = TorchThreads.nodesOnHost();
                threads = TorchThreads.derive(processors, nodes);
                why = " (auto: " + processors + " processors, " + nodes + " atelier node(s) on this host)";
            } else {
                threads = threads(torchThreads);
            }
            PyTorchThreads.set(threads);
            spec.commandLine().getErr().println("node: " + threads + " PyTorch thread(s)" + why);
        } else {
            threads(torchThreads); // still refuses a malformed value
        }
        PyTorchThreads.defaultTo(1); // inter-op only: intra-op is set above unless the user set it
        if (insecure == (certDir != null)) {
            throw new IllegalArgumentException(
                    "give either --cert-dir (normal) or --insecure --name NAME (loopback demo)");
        }
        if (insecure && name == null) {
            throw new IllegalArgumentException("--insecure needs --name NAME");
        }
        Map<String, String> declared = new LinkedHashMap<>(properties);
        if (memoryBudget != null) {
            declared.put(
                    dev.atelier.zo.zorba.Declared.MEMORY_BUDGET,
                    Long.toString(dev.atelier.zo.zorba.Declared.parseBytes(memoryBudget)));
        }
        NodeLauncher launcher = new NodeLauncher(
                coordinator,
                certDir,
                insecure ? name : null,
                serverName,
                workload,
                data,
                stateDir,
                declared,
                Duration.ofMillis(Math.round(maxBackoff * 1000)));
        try {
            if (launcher.run(NodeListener.NONE, System.err)) {
                spec.commandLine().getErr().println("node: run complete");
            }
            return 0;
        } catch (NodeRefusedException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 2;
        }
    }

    /** {@code auto} ({@link TorchThreads#auto()}) or a count >= 1. */
    static int threads(String option) {
        if (option.equals("auto")) {
            return TorchThreads.auto();
        }
        try {
            int n = Integer.parseInt(option.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("--torch-threads must be auto or a number >= 1, got '" + option + "'");
    }
}
