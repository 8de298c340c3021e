package dev.atelier.transport.app;

import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.Strategy;
import dev.atelier.core.workload.WorkloadRegistry;
import dev.atelier.transport.coordinator.CoordinatorTls;
import dev.atelier.transport.coordinator.FederationInfo;
import dev.atelier.transport.coordinator.GrpcTransport;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator process: runs one {@link Run} over a {@link GrpcTransport}, with state in the
 * database, checkpoints in the run directory, and /metrics and /status. The strategy is the
 * config's {@code strategy} spec; one that holds every reply is refused before round 1 when the
 * expected replies of a round do not fit {@code memory_budget_mb}.
 *
 * <p>Crash recovery: on start it looks for the newest checkpoint of the run ({@link ResumePoint});
 * if there is one it resumes after that round ({@code Run.Builder.optResumeAfter}) from those
 * parameters, drops metrics lines and database rows of later (unfinished) rounds, and back-fills
 * rounds the database lost. Nodes are not restarted: they notice the coordinator went away,
 * reconnect with backoff and register again. Not thread-safe except {@link #stop()},
 * {@link #shutdown}, {@link #close()} and the port/status getters.
 */
public final class Coordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("atelier.coordinator");
    private final CoordinatorConfig cfg;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private volatile RunStatus status = RunStatus.RUNNING;
    private volatile Run run;
    private volatile GrpcTransport transport;
    private volatile MetricsServer metricsServer;
    private volatile StateStore store;
    private volatile CoordinatorMetrics metrics;
    private volatile boolean stopRequested;
    private final CountDownLatch finished = new CountDownLatch(1);

    public Coordinator(CoordinatorConfig cfg) {
        this.cfg = Objects.requireNonNull(cfg, "cfg");
    }

    /**
     * Runs (or resumes) the federation to its last round; returns null when it was already
     * complete, or when {@link #shutdown} came before round 1 started.
     */
    public Run.Result run() throws Exception {
        try {
            return runOnce();
        } finally {
            finished.countDown();
        }
    }

    private Run.Result runOnce() throws Exception {
        String runId = cfg.federation().runId();
        Strategy strategy = cfg.schedule()
                .strategy()
                .create(cfg.schedule().sampling(), cfg.federation().trainConfig());
        RunDirectory dir = new RunDirectory(cfg.storage().runDir().resolve(runId));
        ResumePoint start = ResumePoint.find(
                dir,
                WorkloadRegistry.get(cfg.federation().workload()),
                cfg.federation().workloadConfig());
        StateStore store = openStore();
        if (start.completed() >= cfg.schedule().rounds()) {
            LOG.info(
                    "run {} is already complete ({} of {} rounds checkpointed in {})",
                    runId,
                    start.completed(),
                    cfg.schedule().rounds(),
                    dir.path());
            finish(store, RunStatus.COMPLETE);
            return null;
        }
        checkMemory(strategy, expectedNodes(start), start);
        logStart(dir, start);
        recordStart(store, dir, start);

        try {
            return serve(strategy, dir, start, store);
        } catch (Exception e) {
            try {
                finish(store, RunStatus.STOPPED);
            } catch (SQLException db) {
                e.addSuppressed(db);
            }
            throw e;
        }
    }

    /** Opens the transport and metrics endpoints, waits for nodes and runs the remaining rounds. */
    private Run.Result serve(Strategy strategy, RunDirectory dir, ResumePoint start, StateStore store)
            throws Exception {
        String runId = cfg.federation().runId();
        CoordinatorMetrics metrics = new CoordinatorMetrics(
                runId, cfg.federation().workload(), cfg.schedule().rounds(), () -> nodes());
        this.metrics = metrics;
        RoundWatchdog watchdog =
                new RoundWatchdog(cfg.timing().roundTimeout(), cfg.timing().startupWait(), System::nanoTime);
        metrics.watch(watchdog);
        CoordinatorEvents events = new CoordinatorEvents(runId, metrics, store);
        transport = startTransport(events);
        startMetricsServer(metrics, watchdog);
        awaitNodes(strategy, start);
        if (stopRequested) {
            finish(store, RunStatus.STOPPED);
            LOG.info("run {} stopped before round {} started", runId, start.completed() + 1);
            return null;
        }

        run = buildRun(strategy, dir, start, events);
        if (stopRequested) {
            run.cancel(); // shutdown came while the run was being built
        }
        Run.Result result;
        try {
            result = run.execute();
        } finally {
            watchdog.runEnded();
        }
        int last = result.rounds().isEmpty()
                ? start.completed()
                : result.rounds().get(result.rounds().size() - 1).round();
        finish(store, last >= cfg.schedule().rounds() ? RunStatus.COMPLETE : RunStatus.STOPPED);
        LOG.info("run {} {} after round {}; checkpoints in {}", runId, status.text(), last, dir.checkpointDir());
        if (status == RunStatus.COMPLETE) {
            // Every node hears from a poll or its next heartbeat; two intervals cover a busy one.
            transport.completeRun(Duration.ofMillis(
                    Math.min(15_000, 2 * cfg.timing().heartbeat().toMillis() + 1000)));
        }
        return result;
    }

    /** Stops after the current round: no new round starts. Any thread. */
    public void stop() {
        stopRequested = true;
        Run r = run;
        if (r != null) {
            r.cancel();
        }
    }

    /**
     * Graceful stop (SIGTERM): no new round starts; the round in progress may finish (it is then
     * recorded and checkpointed as usual) within {@code grace}. Past it the round is abandoned: not
     * recorded, played again on restart. Either way the run's database status becomes
     * {@code stopped} (never left {@code running}), then everything is closed. Any thread; returns
     * a one-line summary for the operator.
     */
    public String shutdown(Duration grace) throws InterruptedException {
        int round = currentRound();
        LOG.warn(
                "stop requested: no new round starts; waiting up to {} s for round {} to finish",
                grace.toSeconds(),
                round);
        stop();
        String summary;
        if (finished.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            summary = "run " + cfg.federation().runId() + " " + status.text() + "; its state is recorded";
        } else {
            summary = (round == 0 ? "the run had not started a round" : "round " + round + " did not finish")
                    + " within " + grace.toSeconds() + " s and was abandoned (not recorded; it is played again"
                    + " on restart); run " + cfg.federation().runId() + " marked stopped";
            StateStore s = store;
            if (s != null) {
                try {
                    finish(s, RunStatus.STOPPED);
                    s.close();
                } catch (Exception e) {
                    summary += " — but recording that failed: " + e.getMessage();
                }
            }
            // The transport stays open: closing it would end the abandoned round early with every
            // node failed, and the run thread would record that. The process exits next.
            LOG.warn("{}; restart with the same config to resume after the last checkpointed round", summary);
            return summary;
        }
        close();
        LOG.warn("{}; restart with the same config to resume after the last checkpointed round", summary);
        return summary;
    }

    private int currentRound() {
        CoordinatorMetrics m = metrics;
        return m == null ? 0 : m.currentRound();
    }

    /** The bound gRPC port once running, else -1. */
    public int port() {
        GrpcTransport t = transport;
        return t == null ? -1 : t.port();
    }

    /** The bound metrics port once running, else -1. */
    public int metricsPort() {
        MetricsServer m = metricsServer;
        return m == null ? -1 : m.port();
    }

    /** {@link RunStatus#RUNNING} until {@link #run()} returns. */
    public RunStatus status() {
        return status;
    }

    private StateStore openStore() throws SQLException {
        CoordinatorConfig.Database db = cfg.database();
        StateStore store = StateStore.open(db.url(), db.user(), db.password());
        resources.add(store);
        this.store = store;
        return store;
    }

    /** Fresh runs wait for {@code startup_nodes}; resumed ones for {@code min_available}. */
    private int expectedNodes(ResumePoint start) {
        int min = cfg.schedule().sampling().minAvailable();
        return start.resumed() ? min : Math.max(cfg.schedule().startupNodes(), min);
    }

    /** Refuses a strategy whose round with {@code nodes} available would not fit the memory budget. */
    private void checkMemory(Strategy strategy, int nodes, ResumePoint start) {
        Sampling sampling = cfg.schedule().sampling();
        try {
            cfg.limits()
                    .memoryBudget()
                    .check(strategy, sampling.sampleSize(nodes), start.initial().numElements());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    e.getMessage() + " (coordinator config: memory_budget_mb, sampling.fraction, strategy)", e);
        }
    }

    private void logStart(RunDirectory dir, ResumePoint start) {
        if (start.trim().later() > 0 || start.trim().torn() > 0) {
            LOG.info(
                    "metrics.jsonl: kept {} record(s) up to round {}; dropped {} later and {} torn line(s)",
                    start.trim().kept(),
                    start.completed(),
                    start.trim().later(),
                    start.trim().torn());
        }
        if (start.resumed()) {
            LOG.info(
                    "resuming run {} after round {} from {}",
                    cfg.federation().runId(),
                    start.completed(),
                    dir.checkpoint(start.completed()));
        } else {
            LOG.info(
                    "starting run {}: workload {}, strategy {}, {} rounds, model {} tensors / {} bytes",
                    cfg.federation().runId(),
                    cfg.federation().workload(),
                    cfg.schedule().strategy().text(),
                    cfg.schedule().rounds(),
                    start.initial().size(),
                    start.initial().byteSize());
        }
    }

    /** Marks the run as running and restores database rows of rounds in metrics.jsonl. */
    private void recordStart(StateStore store, RunDirectory dir, ResumePoint start) throws SQLException {
        String runId = cfg.federation().runId();
        store.startRun(
                runId,
                cfg.federation().workload(),
                cfg.schedule().strategy().text(),
                cfg.schedule().rounds(),
                start.completed());
        for (RoundRecord r : dir.readMetrics()) {
            store.backfillRound(runId, r);
        }
    }

    private GrpcTransport startTransport(CoordinatorEvents events) throws IOException {
        CoordinatorConfig.Timing timing = cfg.timing();
        var tb = GrpcTransport.builder()
                .setListen(cfg.listen().grpc().host(), cfg.listen().grpc().port())
                .setFederation(new FederationInfo(
                        cfg.federation().runId(),
                        cfg.federation().workload(),
                        cfg.federation().workloadConfig().values()))
                .setWorkDir(cfg.storage().stateDir().resolve("transport"))
                .optHeartbeat(timing.heartbeat())
                .optLivenessTimeout(timing.liveness())
                .optChunkBytes(cfg.limits().chunkBytes())
                .optMaxConcurrentUploads(cfg.limits().maxUploads())
                .optUploadIdleTimeout(cfg.limits().uploadIdle())
                .optListener(events);
        if (cfg.tls().insecure()) {
            tb.optInsecure(true);
        } else {
            tb.setTls(CoordinatorTls.fromCaDir(cfg.tls().certDir(), cfg.tls().coordinatorCert()));
        }
        GrpcTransport t = tb.build().start();
        resources.add(t);
        return t;
    }

    private void startMetricsServer(CoordinatorMetrics metrics, RoundWatchdog watchdog) throws IOException {
        CoordinatorConfig.HostPort at = cfg.listen().metrics();
        if (at == null) {
            return;
        }
        metricsServer = new MetricsServer(
                at.host(),
                at.port(),
                metrics,
                () -> StatusDocument.of(
                        cfg, status, metrics.currentRound(), nodes(), metrics.lastRound(), metrics.repliesOverLimit()),
                watchdog::stuck);
        resources.add(metricsServer);
        LOG.info("metrics on http://{}:{}/metrics, status on /status", at.host(), metricsServer.port());
        if (!StatusDocument.isLoopback(at.host())) {
            LOG.warn(
                    "metrics_listen {} is not a loopback address: /metrics, /status and /healthz have no"
                            + " authentication, so anyone who can reach it sees the run (node addresses are left"
                            + " out of /status); keep it on a monitoring network behind a firewall",
                    at);
        }
    }

    /** Waits for the expected nodes, then re-checks the memory budget with the nodes that came. */
    private void awaitNodes(Strategy strategy, ResumePoint start) throws InterruptedException {
        int min = expectedNodes(start);
        LOG.info("waiting up to {} s for {} node(s)", cfg.timing().startupWait().toSeconds(), min);
        int have = transport.awaitNodes(min, cfg.timing().startupWait()).size();
        checkMemory(strategy, have, start);
        LOG.info(
                "{} node(s) available; {} round {}",
                have,
                start.resumed() ? "resuming at" : "starting",
                start.completed() + 1);
    }

    private Run buildRun(Strategy strategy, RunDirectory dir, ResumePoint start, CoordinatorEvents events) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("workload", cfg.federation().workload());
        details.put("workload_config", cfg.federation().workloadConfig().values());
        details.put("strategy_spec", cfg.schedule().strategy().text());
        details.put("transport", cfg.tls().insecure() ? "grpc-insecure" : "grpc-mtls");
        RunConfig rc = new RunConfig(
                        cfg.federation().runId(),
                        cfg.schedule().rounds(),
                        cfg.schedule().seed(),
                        cfg.timing().roundTimeout(),
                        cfg.schedule().checkpointEvery(),
                        details)
                .withEvaluateEvery(cfg.schedule().evaluateEvery());
        return Run.builder()
                .setConfig(rc)
                .setStrategy(strategy)
                .setTransport(transport)
                .setInitial(start.initial())
                .optDirectory(dir)
                .optListener(events)
                // per-round bytes up/down in metrics.jsonl, beside /metrics' running totals
                .optEvaluator(new dev.atelier.core.run.WireMetrics(transport.ledger()))
                .optResumeAfter(start.completed())
                .optPrivacy(cfg.privacy().options())
                .optReplyLimits(cfg.limits().replies())
                .build();
    }

    private void finish(StateStore store, RunStatus end) throws SQLException {
        status = end;
        store.setRunStatus(cfg.federation().runId(), end);
    }

    private List<dev.atelier.transport.coordinator.NodeStatus> nodes() {
        GrpcTransport t = transport;
        return t == null ? List.of() : t.nodes();
    }

    @Override
    public synchronized void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.debug("closing {} failed: {}", resources.get(i), e.getMessage());
            }
        }
        resources.clear();
    }
}
