package dev.atelier.studio.fed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.sketch.model.ModelDir;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs her federation node as a child process ({@link NodeWorker}, the same node as
 * {@code atelier node --workload sketch}) and follows it: the child's JSON event lines update a
 * {@link NodeStatus}, saved in {@code <dir>/status.json} at every change; its log goes to
 * {@code <dir>/node.log}; its state and outbound ledger live in {@code <dir>} (the node's
 * {@code --state-dir}). At most one node at a time. A studio restart finds the last status (a
 * node that was live is shown as stopped: the studio does not restart it by itself). Stopping
 * sends SIGTERM (the node finishes or cancels its round and tells the coordinator) and kills it
 * after {@link #GRACE_SECONDS} s. The child's stdin stays an open pipe to this JVM: when the studio
 * dies, even by SIGKILL, its end closes and the child's {@code ParentWatchdog} stops it. Thread-safe.
 */
public final class NodeSupervisor implements AutoCloseable {
    static final long GRACE_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger("atelier.studio");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> java;
    private final Path dir;
    private NodeStatus status;
    private Process process;

    /**
     * @param javaCommand the JVM and its options (ending with the class path), as training children use
     * @param dir         the node's folder inside the studio home
     */
    public NodeSupervisor(List<String> javaCommand, Path dir) {
        this.java = List.copyOf(javaCommand);
        this.dir = dir;
        NodeStatus last = load(dir.resolve("status.json"));
        this.status = last.state().live()
                ? last.with(NodeStatus.State.STOPPED, "not running: the studio was restarted; join again to resume")
                : last;
    }

    /** The node's folder: its state, its model directory and its outbound ledger (transport/). */
    public Path dir() {
        return dir;
    }

    /** Where the node keeps its own ledger of what it sent. */
    public Path ledgerDir() {
        return dir.resolve("transport");
    }

    /** The running node's process id, or -1 when none runs. */
    synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    public synchronized NodeStatus status() {
        return status;
    }

    /** The node's model directory ({@code atelier node}'s {@code --state-dir}/workload). */
    public Path modelDir() {
        return dir.resolve("workload");
    }

    /**
     * Starts the node; refused while one runs.
     *
     * @param herModel her model to train on in the federation ({@code model.safetensors} of her active
     *     version), copied into the node's model directory, where the sketch node starts from it; null
     *     to continue from the model the node saved at its last join, or without one from a fresh
     *     model from the run's seed
     * @param label what {@code herModel} is, for the page (e.g. "her model v2")
     */
    public synchronized void start(String coordinator, Path certDir, Path dataDir, Path herModel, String label)
            throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the node already runs; stop it first");
        }
        Files.createDirectories(modelDir());
        Path model = modelDir().resolve(ModelDir.MODEL);
        String from;
        if (herModel != null) {
            Path tmp = modelDir().resolve(ModelDir.MODEL + ".tmp");
            Files.copy(herModel, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, model, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            from = label;
        } else {
            from = Files.isRegularFile(model)
                    ? "the node's own model from its last join"
                    : "a fresh model from the federation's seed";
        }
        List<String> cmd = new ArrayList<>(java);
        cmd.add(NodeWorker.class.getName());
        cmd.addAll(List.of(coordinator, certDir.toString(), dataDir.toString(), dir.toString()));
        Process p = new ProcessBuilder(cmd)
                .redirectError(
                        ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()))
                .start();
        process = p;
        update(status.starting(coordinator, dataDir.toString(), from));
        Thread t = new Thread(() -> follow(p), "studio-node-events");
        t.setDaemon(true);
        t.start();
    }

    /** Stops the node gracefully (SIGTERM, then a kill after the grace period); returns at once. */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        update(status.with(NodeStatus.State.STOPPING, "stopping: finishing or cancelling the current round"));
        Process p = process;
        p.destroy();
        p.onExit().orTimeout(GRACE_SECONDS, TimeUnit.SECONDS).exceptionally(e -> {
            p.destroyForcibly();
            return p;
        });
    }

    private void follow(Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                event(line);
            }
        } catch (IOException e) {
            LOG.debug("node output ended: {}", e.getMessage());
        }
        int code;
        try {
            code = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (this) {
            NodeStatus s = status;
            if (s.state() == NodeStatus.State.REFUSED || s.state() == NodeStatus.State.FAILED) {
                return;
            }
            boolean asked = s.state() == NodeStatus.State.STOPPING;
            if (asked || code == 143) {
                update(s.with(NodeStatus.State.STOPPED, "stopped"));
            } else if (code == 0) {
                // a node exits 0 by itself only when the coordinator says the run is complete
                update(s.with(NodeStatus.State.COMPLETE, "the federation's run is complete"));
            } else {
                update(s.with(
                        NodeStatus.State.FAILED,
                        "the node exited with code " + code + " (see " + dir.resolve("node.log") + ")"));
            }
        }
    }

    /** One JSON line from the child; anything else is ignored (it is the child's, not trusted). */
    private synchronized void event(String line) {
        JsonNode e;
        try {
            e = JSON.readTree(line);
        } catch (IOException ex) {
            return;
        }
        if (e == null || !e.isObject()) {
            return;
        }
        String reason = clip(e.path("reason").asText(""));
        NodeStatus s = status;
        switch (e.path("event").asText("")) {
            case "registered" ->
                s = s.registered(
                        clip(e.path("node").asText("")), clip(e.path("run").asText("")));
            case "instruction" ->
                s = s.instruction(
                        Math.max(0, e.path("round").asInt(0)),
                        clip(e.path("task").asText("")));
            case "outcome" -> {
                String o = e.path("outcome").asText("");
                s = s.outcome(
                        e.path("round").asInt(0),
                        o.equals("ACCEPTED"),
                        o.toLowerCase() + (reason.isEmpty() ? "" : ": " + reason));
            }
            case "sent" -> s = s.sent(Math.max(0, e.path("bytes").asLong(0)));
            case "refused" -> s = s.with(NodeStatus.State.REFUSED, "the coordinator refused this node: " + reason);
            case "failed" -> s = s.with(NodeStatus.State.FAILED, "the node failed: " + reason);
            default -> {
                return;
            }
        }
        update(s);
    }

    private static String clip(String s) {
        return s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }

    private void update(NodeStatus s) {
        status = s;
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("status.json.tmp");
            JSON.writeValue(tmp.toFile(), s);
            Files.move(
                    tmp,
                    dir.resolve("status.json"),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("could not save the node status: {}", e.getMessage());
        }
    }

    private static NodeStatus load(Path file) {
        if (!Files.isRegularFile(file)) {
            return NodeStatus.NONE;
        }
        try {
            NodeStatus s = JSON.readValue(file.toFile(), NodeStatus.class);
            return s == null || s.state() == null ? NodeStatus.NONE : s;
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring an unreadable node status {}: {}", file, e.getMessage());
            return NodeStatus.NONE;
        }
    }

    /** Stops a running node (the studio is closing) and waits for it, at most the grace period. */
    @Override
    public void close() {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p == null || !p.isAlive()) {
            return;
        }
        stop();
        try {
            if (!p.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }
}
