package dev.atelier.cli.deploy;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The default PyTorch intra-op thread count of {@code atelier node} ({@code --torch-threads auto}):
 * the processors this JVM may use divided among the Atelier nodes running on this host, at least 1.
 * Several nodes of a local federation on one machine each taking every core oversubscribe it
 * (a GAN step measured 7x slower with 2 nodes × 2 threads on 2 cores), one node alone should use
 * them all.
 *
 * <p>The nodes are counted from the host's process table: a process whose command line runs
 * {@value #MAIN_CLASS} with the subcommand {@code node} (this node included). Nodes that start
 * later do not make an earlier node give threads back (the count is read once, when its engine
 * starts), so start a host's nodes together or pass {@code --torch-threads N}. Stateless.
 */
final class TorchThreads {
    /** The CLI's main class, as it appears on every {@code atelier} command line. */
    static final String MAIN_CLASS = "dev.atelier.cli.AtelierCli";

    private TorchThreads() {}

    /** {@code processors / nodesOnHost}, at least 1. */
    static int derive(int processors, int nodesOnHost) {
        if (processors < 1 || nodesOnHost < 1) {
            throw new IllegalArgumentException(
                    "processors and nodes must be >= 1, got " + processors + " and " + nodesOnHost);
        }
        return Math.max(1, processors / nodesOnHost);
    }

    /** Command lines (argument lists after the executable) that are {@code atelier node} processes. */
    static long countNodes(Stream<List<String>> commandLines) {
        return commandLines.filter(TorchThreads::isNode).count();
    }

    static boolean isNode(List<String> args) {
        int main = args.indexOf(MAIN_CLASS);
        return main >= 0 && main + 1 < args.size() && args.get(main + 1).equals("node");
    }

    /** Atelier nodes running on this host now, this process included (at least 1). */
    static int nodesOnHost() {
        long n = countNodes(ProcessHandle.allProcesses()
                .map(p -> p.info().arguments())
                .flatMap(Optional::stream)
                .map(List::of));
        // This process counts even where the process table hides command lines.
        return (int) Math.max(1, n);
    }

    /** The {@code auto} choice for this process. */
    static int auto() {
        return derive(Runtime.getRuntime().availableProcessors(), nodesOnHost());
    }
}
