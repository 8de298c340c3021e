package dev.atelier.bench.grpc;

import dev.atelier.core.message.Reply;
import dev.atelier.core.workload.Node;
import dev.atelier.transport.node.NodeRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Child JVM of the heap bench: {@code N} simulated nodes, each a real {@link NodeRuntime} with its
 * own certificate and TLS connection, echoing the parameters they receive (memory-mapped, so the
 * swarm itself stays small). Runs until killed.
 *
 * <p>Args: {@code N PORT PKI_DIR WORK_DIR}; node names are {@code node-000}...
 */
public final class NodeSwarm {
    private NodeSwarm() {}

    static String name(int i) {
        return String.format("node-%03d", i);
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int port = Integer.parseInt(args[1]);
        Path pki = Path.of(args[2]);
        Path work = Path.of(args[3]);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = name(i);
            NodeRuntime rt = NodeRuntime.builder()
                    .setCoordinator("127.0.0.1:" + port)
                    .setWorkload("echo")
                    .setCertBundle(pki.resolve(name))
                    .setWorkDir(work.resolve(name))
                    .optPullWait(Duration.ofSeconds(10))
                    .optBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
                    .setNodeFactory((id, cfg) -> new Node(
                            id,
                            (ins, cancel) -> new Reply(id, ins.round(), ins.params(), 100, Map.of("loss", 1.0), null)))
                    .build();
            Thread t = new Thread(
                    () -> {
                        try {
                            rt.run();
                        } catch (Exception e) {
                            System.err.println(name + " stopped: " + e.getMessage());
                        }
                    },
                    name);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
