package dev.atelier.studio.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.sketch.demo.Png;
import dev.atelier.sketch.folder.Canvas;
import dev.atelier.sketch.model.ModelDir;
import dev.atelier.studio.create.Sketcher;
import dev.atelier.studio.store.Version;
import dev.atelier.studio.train.TrainEvent;
import dev.atelier.studio.train.TrainQueue;
import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training progress, live: every {@link TrainEvent} of the queue updates the version's row in the
 * store and goes to every open page as a server-sent event ({@code GET /events/train}, event
 * {@code train}, JSON with {@code version, kind, done, total, seconds, eta, l1, message, preview}).
 * When the child has saved a newer checkpoint, a preview sketch of the folder's first garment is
 * drawn from it in this JVM (inference only) and its URL sent along. Thread-safe.
 */
public final class TrainingEvents implements TrainQueue.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Context cx;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Long> previewed = new ConcurrentHashMap<>();
    private final AtomicBoolean drawing = new AtomicBoolean();
    private final ExecutorService previews = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "studio-preview");
        t.setDaemon(true);
        return t;
    });

    public TrainingEvents(Context cx) {
        this.cx = cx;
    }

    public void register(Javalin app) {
        app.sse("/events/train", client -> {
            client.keepAlive();
            clients.add(client);
            client.onClose(() -> clients.remove(client));
        });
    }

    @Override
    public void onEvent(int version, TrainEvent e) {
        try {
            Version v = cx.store().version(version).orElse(null);
            if (v == null) {
                return;
            }
            Version.Status status = switch (e.kind()) {
                case "done" -> Version.Status.DONE;
                case "failed" -> "cancelled".equals(e.message()) ? Version.Status.CANCELLED : Version.Status.FAILED;
                default -> Version.Status.TRAINING;
            };
            boolean step = e.kind().equals("progress") || e.kind().equals("done");
            cx.store()
                    .putVersion(new Version(
                            version,
                            v.created(),
                            v.source(),
                            v.folder(),
                            status,
                            (int) (step ? e.done() : v.steps()),
                            (int) (step ? Math.max(v.totalSteps(), e.total()) : v.totalSteps()),
                            Double.isNaN(e.l1()) ? v.lastL1() : e.l1(),
                            e.message()));
            if (status == Version.Status.DONE && cx.active().isEmpty()) {
                cx.store().setSetting(Context.ACTIVE, Integer.toString(version));
            }
            maybePreview(version, v.folder(), status == Version.Status.DONE);
            broadcast(version, e, null);
        } catch (Exception ex) {
            LOG.warn("training event of v{} not recorded: {}", version, ex.toString());
        }
    }

    private void maybePreview(int version, int folder, boolean last) {
        ModelDir dir = cx.home().model(version);
        long mtime;
        try {
            mtime = Files.isRegularFile(dir.model())
                    ? Files.getLastModifiedTime(dir.model()).toMillis()
                    : 0;
        } catch (java.io.IOException e) {
            return;
        }
        if (mtime == 0 || previewed.getOrDefault(version, -1L) == mtime || folder < 1) {
            return;
        }
        if (!last && !drawing.compareAndSet(false, true)) {
            return;
        }
        if (last) {
            drawing.set(true);
        }
        previewed.put(version, mtime);
        previews.execute(() -> {
            try {
                Path garment = firstGarment(cx.home().folder(folder));
                if (garment != null) {
                    float[] sketch = Sketcher.once(dir, Canvas.garment(garment, false));
                    Path out = cx.home().preview(version);
                    Path tmp = out.resolveSibling("preview.png.tmp");
                    Png.write(sketch, 4, tmp);
                    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    broadcast(
                            version,
                            null,
                            "/img/preview/" + version + "?t=" + Instant.now().toEpochMilli());
                }
            } catch (Exception ex) {
                LOG.warn("no preview of v{}: {}", version, ex.toString());
            } finally {
                drawing.set(false);
            }
        });
    }

    /** The folder's first garment in name order (the preview is always of the same one). */
    static Path firstGarment(Path folder) throws java.io.IOException {
        Path images = folder.resolve("images");
        if (!Files.isDirectory(images)) {
            return null;
        }
        try (var s = Files.list(images)) {
            return s.filter(Files::isRegularFile).sorted().findFirst().orElse(null);
        }
    }

    private void broadcast(int version, TrainEvent e, String preview) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", version);
        if (e != null) {
            try {
                n.setAll((ObjectNode) JSON.readTree(e.toJson()));
            } catch (java.io.IOException ex) {
                return;
            }
        }
        if (preview != null) {
            n.put("preview", preview);
        }
        String data = n.toString();
        for (SseClient c : clients) {
            try {
                c.sendEvent("train", data);
            } catch (RuntimeException ex) {
                clients.remove(c);
            }
        }
    }

    public void close() {
        previews.shutdownNow();
    }
}
