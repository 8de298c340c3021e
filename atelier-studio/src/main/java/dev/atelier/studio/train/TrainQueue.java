package dev.atelier.studio.train;

import dev.atelier.ml.engine.PyTorchThreads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains model versions one at a time, each in a child JVM running {@link TrainWorker} (DJL allows
 * one gradient tape per JVM, and the studio's own JVM keeps generating). Events of the running
 * child go to every {@link Listener}; the last event of each version is kept for late subscribers.
 * {@link #cancel} ends a queued or running job. Thread-safe.
 */
public final class TrainQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainQueue.class);

    /** Receives every event; called on the queue's thread, so it must not block for long. */
    public interface Listener {
        void onEvent(int version, TrainEvent event);
    }

    private final List<String> command;
    private final Path cache;
    private final Path encoder;
    private final String fashionMnist;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "studio-train");
        t.setDaemon(true);
        return t;
    });
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, TrainEvent> last = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> cancelled = new ConcurrentHashMap<>();
    private volatile Process running;
    private volatile int runningVersion;

    /**
     * @param javaCommand the JVM and its options to start children with (see {@link #defaultJava()})
     * @param cache where the public feature network is cached (under the studio home)
     * @param encoder a public feature network file, or null to train/cache one
     * @param fashionMnist Fashion-MNIST folder, {@code fixture}, or null
     */
    public TrainQueue(List<String> javaCommand, Path cache, Path encoder, String fashionMnist) {
        this.command = List.copyOf(javaCommand);
        this.cache = cache;
        this.encoder = encoder;
        this.fashionMnist = fashionMnist;
    }

    /** This JVM's java binary and class path, one torch thread, DJL offline. */
    public static List<String> defaultJava() {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx2g", "-Dai.djl.offline=true"));
        command.addAll(PyTorchThreads.jvmFlags(1));
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        return List.copyOf(command);
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    /** The last event of {@code version}, or null. */
    public TrainEvent last(int version) {
        return last.get(version);
    }

    /** The version being trained now, or 0. */
    public int running() {
        return running == null ? 0 : runningVersion;
    }

    public void submit(TrainJob job) {
        worker.execute(() -> run(job));
    }

    /** Stops {@code version}: a running child is destroyed, a queued job will not start. */
    public void cancel(int version) {
        cancelled.put(version, true);
        Process p = running;
        if (p != null && runningVersion == version) {
            p.destroy();
        }
    }

    private void run(TrainJob job) {
        if (cancelled.containsKey(job.version())) {
            emit(job.version(), new TrainEvent("failed", 0, 0, 0, Double.NaN, Double.NaN, "cancelled"));
            return;
        }
        List<String> cmd = new ArrayList<>(command);
        cmd.add(TrainWorker.class.getName());
        cmd.addAll(
                List.of("--folder", job.folder().toString(), "--out", job.out().toString()));
        cmd.addAll(List.of("--cache", cache.toString()));
        var s = job.settings();
        cmd.addAll(List.of("--warmup", Integer.toString(s.warmupSteps()), "--steps", Integer.toString(s.ganSteps())));
        cmd.addAll(List.of("--batch", Integer.toString(s.batchSize()), "--seed", Long.toString(s.seed())));
        cmd.addAll(List.of("--checkpoint-every", Integer.toString(s.checkpointEvery())));
        if (job.invert()) {
            cmd.add("--invert");
        }
        if (encoder != null) {
            cmd.addAll(List.of("--encoder", encoder.toString()));
        }
        if (fashionMnist != null) {
            cmd.addAll(List.of("--fashion-mnist", fashionMnist));
        }
        TrainEvent end = null;
        try {
            java.nio.file.Files.createDirectories(job.out());
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.appendTo(
                            job.out().resolve("train.log").toFile()));
            pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            emit(job.version(), new TrainEvent("progress", 0, s.totalSteps(), 0, Double.NaN, Double.NaN, "starting"));
            Process p = pb.start();
            runningVersion = job.version();
            running = p;
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    TrainEvent e = TrainEvent.parse(line);
                    if (e == null) {
                        continue;
                    }
                    if (e.kind().equals("progress") || e.kind().equals("prepare")) {
                        emit(job.version(), e);
                    } else {
                        end = e;
                    }
                }
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            if (cancelled.containsKey(job.version())) {
                end = new TrainEvent("failed", 0, 0, 0, Double.NaN, Double.NaN, "cancelled");
            } else if (end == null) {
                end = TrainEvent.failed("the training process ended with exit code " + p.exitValue()
                        + " without a result; see " + job.out().resolve("train.log"));
            }
        } catch (IOException | InterruptedException e) {
            end = TrainEvent.failed("cannot run the training process: " + e.getMessage());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            running = null;
        }
        emit(job.version(), end);
    }

    private void emit(int version, TrainEvent e) {
        last.put(version, e);
        for (Listener l : listeners) {
            try {
                l.onEvent(version, e);
            } catch (RuntimeException ex) {
                LOG.warn("training listener failed: {}", ex.toString());
            }
        }
    }

    @Override
    public void close() {
        Process p = running;
        if (p != null) {
            p.destroy();
        }
        worker.shutdownNow();
    }
}
