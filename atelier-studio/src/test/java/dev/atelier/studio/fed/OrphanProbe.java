package dev.atelier.studio.fed;

import dev.atelier.studio.train.TrainQueue;
import java.nio.file.Path;

/**
 * A stand-in studio for {@link OrphanedNodeTest}: a JVM that starts her node through the real
 * {@link NodeSupervisor}, prints {@code NODE <pid>}, and then waits to be killed.
 *
 * <p>Arguments: {@code NODE_DIR CERT_DIR DATA_DIR COORDINATOR}.
 */
public final class OrphanProbe {
    private OrphanProbe() {}

    public static void main(String[] args) throws Exception {
        NodeSupervisor node = new NodeSupervisor(TrainQueue.defaultJava(), Path.of(args[0]));
        node.start(args[3], Path.of(args[1]), Path.of(args[2]), null, "");
        System.out.println("NODE " + node.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
