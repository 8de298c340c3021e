package dev.atelier.studio.fed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.core.transport.SentMessage;
import dev.atelier.transport.app.NodeLauncher;
import dev.atelier.transport.app.ParentWatchdog;
import dev.atelier.transport.node.NodeListener;
import dev.atelier.transport.node.NodeRefusedException;
import dev.atelier.transport.proto.PushResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The child process the studio runs as her node: the same {@link NodeLauncher} that
 * {@code atelier node --workload sketch} runs, with a listener that prints one JSON event per line
 * on stdout for the {@link NodeSupervisor} ({@code registered}, {@code instruction},
 * {@code outcome}, {@code sent}, {@code refused}, {@code failed}). Its own process because the node
 * trains and DJL allows one gradient collector per JVM. SIGTERM stops it gracefully. It stops the
 * same way when the studio is gone ({@link ParentWatchdog}: its stdin, a pipe the studio holds,
 * reaches end of file, or the parent process is no longer alive), even after a SIGKILL of the studio.
 *
 * <p>Arguments: {@code COORDINATOR CERT_DIR DATA_DIR STATE_DIR}. Exit 0 when stopped, 2 when the
 * coordinator refused it, 1 on another failure.
 */
public final class NodeWorker {
    static final String WORKLOAD = "sketch";
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeWorker() {}

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: NodeWorker COORDINATOR CERT_DIR DATA_DIR STATE_DIR");
            System.exit(64);
        }
        PrintStream out = System.out;
        // a killed studio must not leave its node running: stdin is the studio's pipe (EOF when it dies)
        ParentWatchdog.exitWhenOrphaned(System.err, 143);
        NodeLauncher launcher = new NodeLauncher(
                args[0],
                Path.of(args[1]),
                null,
                null,
                WORKLOAD,
                Path.of(args[2]),
                Path.of(args[3]),
                Map.of(),
                Duration.ofSeconds(30));
        int code = 0;
        try {
            launcher.run(new Events(out), System.err);
        } catch (NodeRefusedException e) {
            print(out, event("refused").put("reason", e.getMessage()));
            code = 2;
        } catch (Exception e) {
            print(out, event("failed").put("reason", String.valueOf(e.getMessage())));
            code = 1;
        }
        out.flush();
        System.exit(code);
    }

    private static ObjectNode event(String kind) {
        return JSON.createObjectNode().put("event", kind);
    }

    private static void print(PrintStream out, ObjectNode o) {
        synchronized (out) {
            out.println(o.toString());
            out.flush();
        }
    }

    /** Prints the node's callbacks as JSON lines. */
    private record Events(PrintStream out) implements NodeListener {
        @Override
        public void onRegistered(String nodeId, String runId) {
            print(out, event("registered").put("node", nodeId).put("run", runId));
        }

        @Override
        public void onInstruction(int round, String task, long paramBytes) {
            print(out, event("instruction").put("round", round).put("task", task));
        }

        @Override
        public void onOutcome(int round, PushResult.Outcome outcome, String reason) {
            print(
                    out,
                    event("outcome")
                            .put("round", round)
                            .put("outcome", outcome.name())
                            .put("reason", reason));
        }

        @Override
        public void onSent(SentMessage m) {
            print(
                    out,
                    event("sent").put("round", m.round()).put("call", m.call()).put("bytes", m.total()));
        }
    }
}
