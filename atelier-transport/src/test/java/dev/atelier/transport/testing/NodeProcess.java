package dev.atelier.transport.testing;

import dev.atelier.transport.app.NodeLauncher;
import dev.atelier.transport.node.NodeListener;
import dev.atelier.transport.node.NodeRefusedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Test entry point of a node JVM: {@code NodeProcess HOST:PORT CERT_DIR STATE_DIR WORKLOAD}. */
public final class NodeProcess {
    private NodeProcess() {}

    public static void main(String[] args) throws Exception {
        NodeLauncher l = new NodeLauncher(
                args[0],
                Path.of(args[1]),
                null,
                null,
                args[3],
                null,
                Path.of(args[2]),
                Map.of("pid", Long.toString(ProcessHandle.current().pid())),
                Duration.ofSeconds(1));
        try {
            if (l.run(NodeListener.NONE, System.err)) {
                System.err.println("node: run complete");
            }
            System.exit(0);
        } catch (NodeRefusedException e) {
            System.err.println("refused: " + e.getMessage());
            System.exit(2);
        }
    }
}
