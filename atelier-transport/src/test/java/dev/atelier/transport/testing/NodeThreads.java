package dev.atelier.transport.testing;

import dev.atelier.transport.node.NodeListener;
import dev.atelier.transport.node.NodeRuntime;
import dev.atelier.transport.proto.PushResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Node runtimes on threads of the test JVM, recording what the coordinator told each of them. */
public final class NodeThreads implements AutoCloseable {
    /** One outcome as a node saw it. */
    public record Outcome(String node, int round, PushResult.Outcome outcome, String reason) {}

    private final List<NodeRuntime> runtimes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final Map<String, Throwable> exits = new ConcurrentHashMap<>();

    /** Starts one node with its certificate bundle from {@code pki}. */
    public NodeRuntime start(String name, TestPki pki, int port, Path workDir) throws Exception {
        return start(name, NodeRuntime.builder().setCertBundle(pki.bundle(name)), port, workDir);
    }

    public NodeRuntime start(String name, dev.atelier.transport.node.NodeRuntimeBuilder b, int port, Path workDir)
            throws Exception {
        NodeRuntime rt = b.setCoordinator("127.0.0.1:" + port)
                .setWorkload("linear")
                .setNodeFactory((id, cfg) -> new LinearWorkloadProvider().createNode(id, null, null, cfg))
                .setWorkDir(workDir.resolve(name))
                .optPullWait(Duration.ofSeconds(2))
                .optBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .optListener(new NodeListener() {
                    @Override
                    public void onOutcome(int round, PushResult.Outcome outcome, String reason) {
                        outcomes.add(new Outcome(name, round, outcome, reason));
                    }
                })
                .build();
        Thread t = new Thread(
                () -> {
                    try {
                        rt.run();
                        exits.put(name, new RuntimeException("stopped"));
                    } catch (Throwable e) {
                        exits.put(name, e);
                    }
                },
                "node-" + name);
        t.setDaemon(true);
        t.start();
        runtimes.add(rt);
        threads.add(t);
        return rt;
    }

    /** Waits until at least {@code n} outcomes were seen (or {@code timeout} passes), then returns all. */
    public List<Outcome> awaitOutcomes(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (outcomes.size() < n && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        return outcomes();
    }

    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Why a node's run() ended (refusal message), if it did. */
    public Throwable exit(String name) {
        return exits.get(name);
    }

    /** Waits until {@code name} has exited or {@code timeout} passes. */
    public Throwable awaitExit(String name, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end && !exits.containsKey(name)) {
            Thread.sleep(20);
        }
        return exits.get(name);
    }

    @Override
    public void close() throws InterruptedException {
        runtimes.forEach(NodeRuntime::stop);
        for (Thread t : threads) {
            t.join(5000);
        }
    }
}
