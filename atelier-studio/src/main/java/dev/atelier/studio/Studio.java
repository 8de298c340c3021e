package dev.atelier.studio;

import dev.atelier.studio.create.Sketcher;
import dev.atelier.studio.fed.NodeSupervisor;
import dev.atelier.studio.store.StudioStore;
import dev.atelier.studio.store.Version;
import dev.atelier.studio.train.TrainJob;
import dev.atelier.studio.train.TrainQueue;
import dev.atelier.studio.upload.UploadLimits;
import dev.atelier.studio.web.Context;
import dev.atelier.studio.web.CreatePages;
import dev.atelier.studio.web.DashboardPage;
import dev.atelier.studio.web.Failures;
import dev.atelier.studio.web.FederationPage;
import dev.atelier.studio.web.HistoryPage;
import dev.atelier.studio.web.PasswordHash;
import dev.atelier.studio.web.Security;
import dev.atelier.studio.web.StaticAssets;
import dev.atelier.studio.web.StylePages;
import dev.atelier.studio.web.TrainingEvents;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * Atelier Studio, the designer's web app ({@code atelier studio}): server-rendered pages on Javalin
 * (Jetty), history in the studio's database, models on disk in the model-directory layout, training
 * in child processes, generation in this JVM. Everything it writes lies under
 * {@link StudioSettings#home()}. Start with {@link #start}, stop with {@link #close}. Thread-safe.
 */
public final class Studio implements AutoCloseable {
    private final Javalin app;
    private final StudioStore store;
    private final TrainQueue queue;
    private final Sketcher sketcher;
    private final TrainingEvents events;
    private final NodeSupervisor node;
    private final String url;

    private Studio(
            Javalin app,
            StudioStore store,
            TrainQueue queue,
            Sketcher sketcher,
            TrainingEvents events,
            NodeSupervisor node,
            String url) {
        this.app = app;
        this.node = node;
        this.store = store;
        this.queue = queue;
        this.sketcher = sketcher;
        this.events = events;
        this.url = url;
    }

    /** Starts with the default upload limits, training children on this JVM's java and class path. */
    public static Studio start(StudioSettings settings) throws IOException, SQLException {
        return start(settings, UploadLimits.DEFAULTS, TrainQueue.defaultJava());
    }

    /**
     * Starts the studio.
     *
     * @param javaCommand the JVM command line (without main class) training children run with
     */
    public static Studio start(StudioSettings settings, UploadLimits limits, List<String> javaCommand)
            throws IOException, SQLException {
        StudioHome home = new StudioHome(settings.home()).create();
        // before the first tensor of this JVM; children get the same folder
        List<String> java = new java.util.ArrayList<>(javaCommand);
        java.addAll(DjlCache.apply(home.root()));
        javaCommand = List.copyOf(java);
        javax.imageio.ImageIO.setUseCache(false); // decode in memory: no cache files in java.io.tmpdir
        StudioStore store = StudioStore.open(settings.databaseUrl(), settings.jdbcUser(), settings.jdbcPassword());
        TrainQueue queue = new TrainQueue(javaCommand, home.cache(), settings.encoder(), settings.fashionMnist());
        Sketcher sketcher = new Sketcher();
        NodeSupervisor node = new NodeSupervisor(javaCommand, home.root().resolve("node"));
        Context cx = new Context(settings, home, store, queue, sketcher, limits, node);
        TrainingEvents events = new TrainingEvents(cx);
        queue.addListener(events);
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = 1L << 20; // form posts; uploads are multipart, bounded below
            config.jetty.multipartConfig.cacheDirectory(home.tmp().toString());
            config.jetty.multipartConfig.maxFileSize(limits.maxRequestBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(limits.maxRequestBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
        });
        PasswordHash password = settings.password() == null ? null : PasswordHash.of(settings.password());
        Failures.register(app);
        StaticAssets.register(app);
        Security security = new Security(password, StudioSettings.loopback(settings.bind()));
        security.register(app);
        app.get("/", ctx -> ctx.redirect(cx.active().isPresent() ? "/create" : "/style"));
        new StylePages(cx).register(app);
        new CreatePages(cx).register(app);
        new HistoryPage(cx).register(app);
        new DashboardPage(cx).register(app);
        new FederationPage(cx).register(app);
        events.register(app);
        app.start(settings.bind(), settings.port());
        int port = app.port();
        security.port(port);
        resumeInterrupted(cx);
        String host = settings.bind().contains(":") ? "[" + settings.bind() + "]" : settings.bind();
        return new Studio(app, store, queue, sketcher, events, node, "http://" + host + ":" + port);
    }

    /** Versions a previous run left queued or training are queued again (training resumes from its checkpoint). */
    private static void resumeInterrupted(Context cx) throws SQLException {
        List<Version> open = cx.store().versions().stream()
                .filter(v -> v.status() == Version.Status.QUEUED || v.status() == Version.Status.TRAINING)
                .filter(v -> v.folder() > 0)
                .sorted(java.util.Comparator.comparingInt(Version::version))
                .toList();
        for (Version v : open) {
            boolean invert;
            try {
                invert = dev.atelier.studio.web.FolderCheck.read(cx.home().folder(v.folder()))
                        .invert();
            } catch (IOException e) {
                invert = false;
            }
            cx.queue()
                    .submit(new TrainJob(
                            v.version(),
                            cx.home().folder(v.folder()),
                            cx.home().model(v.version()).root(),
                            invert,
                            cx.settings().training()));
        }
    }

    /** The address pages are served at, e.g. {@code http://127.0.0.1:7070}. */
    public String url() {
        return url;
    }

    /** The page-measured upload-to-shown times so far, in milliseconds, oldest first. */
    public List<Double> timeToSketchMillis() throws SQLException {
        return store.shownMillis();
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() throws SQLException {
        app.stop();
        node.close(); // her node stops with the studio; the page shows its last state next time
        queue.close();
        events.close();
        sketcher.close();
        store.close();
    }
}
