package dev.atelier.transport.app;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.core.strategy.Strategy;
import dev.atelier.core.workload.WorkloadProvider;
import dev.atelier.core.workload.WorkloadRegistry;
import dev.atelier.transport.coordinator.CoordinatorTls;
import dev.atelier.transport.coordinator.FederationInfo;
import dev.atelier.transport.coordinator.GrpcTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator process: runs one {@link Run} over a {@link GrpcTransport}, with state in the
 * database, checkpoints in the run directory, and /metrics.
 *
 * <p>Crash recovery: on start it looks for the newest checkpoint of the run; if there is one it
 * resumes after that round ({@code Run.Builder.optResumeAfter}) from those parameters, drops
 * metrics lines and database rows of later (unfinished) rounds, and back-fills rounds the database
 * lost. Nodes are not restarted: they notice the coordinator went away, reconnect with backoff
 * and register again. Not thread-safe except {@link #stop()}.
 */
public final class Coordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("atelier.coordinator");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private final CoordinatorConfig cfg;
    private final StrategySource strategies;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private volatile Run run;
    private volatile GrpcTransport transport;
    private volatile MetricsServer metricsServer;

    public Coordinator(CoordinatorConfig cfg, StrategySource strategies) {
        this.cfg = cfg;
        this.strategies = strategies;
    }

    /** Runs (or resumes) the federation to its last round; returns null when it was already complete. */
    public Run.Result run() throws Exception {
        WorkloadProvider provider = WorkloadRegistry.get(cfg.workload());
        Strategy strategy = strategies.create(cfg.strategy(), cfg.sampling(), cfg.trainConfig());
        RunDirectory dir = new RunDirectory(cfg.runDir().resolve(cfg.runId()));
        Optional<Map.Entry<Integer, ParamSet>> latest = dir.latestCheckpoint();
        int done = latest.map(Map.Entry::getKey).orElse(0);
        StateStore store = StateStore.open(cfg.dbUrl(), cfg.dbUser(), cfg.dbPassword());
        resources.add(store);
        if (done >= cfg.rounds()) {
            LOG.info(
                    "run {} is already complete ({} of {} rounds checkpointed in {})",
                    cfg.runId(),
                    done,
                    cfg.rounds(),
                    dir.path());
            store.setRunStatus(cfg.runId(), "complete");
            return null;
        }
        ParamSet initial;
        if (latest.isPresent()) {
            initial = latest.get().getValue();
            keepMetricsUpTo(dir, done);
            LOG.info("resuming run {} after round {} from {}", cfg.runId(), done, dir.checkpoint(done));
        } else {
            initial = provider.initialParameters(cfg.workloadConfig());
            keepMetricsUpTo(dir, 0);
            LOG.info(
                    "starting run {}: workload {}, strategy {}, {} rounds, model {} tensors / {} bytes",
                    cfg.runId(),
                    cfg.workload(),
                    strategy.name(),
                    cfg.rounds(),
                    initial.size(),
                    initial.byteSize());
        }
        store.startRun(cfg.runId(), cfg.workload(), strategy.name(), cfg.rounds(), done);
        for (Map<String, Object> line : dir.readMetrics()) {
            store.backfillRound(cfg.runId(), line);
        }

        GrpcTransport[] holder = new GrpcTransport[1];
        CoordinatorMetrics metrics = new CoordinatorMetrics(
                cfg.runId(), cfg.workload(), cfg.rounds(), () -> holder[0] == null ? List.of() : holder[0].nodes());
        CoordinatorEvents events = new CoordinatorEvents(cfg.runId(), metrics, store);
        var tb = GrpcTransport.builder()
                .setListen(cfg.listenHost(), cfg.listenPort())
                .setFederation(new FederationInfo(
                        cfg.runId(), cfg.workload(), cfg.workloadConfig().values()))
                .setWorkDir(cfg.stateDir().resolve("transport"))
                .optHeartbeat(cfg.heartbeat())
                .optLivenessTimeout(cfg.liveness())
                .optChunkBytes(cfg.chunkBytes())
                .optMaxConcurrentUploads(cfg.maxUploads())
                .optListener(events);
        if (cfg.insecure()) {
            tb.optInsecure(true);
        } else {
            tb.setTls(CoordinatorTls.fromCaDir(cfg.certDir(), cfg.coordinatorCert()));
        }
        transport = tb.build().start();
        holder[0] = transport;
        resources.add(transport);
        if (cfg.metricsHost() != null) {
            metricsServer = new MetricsServer(cfg.metricsHost(), cfg.metricsPort(), metrics, () -> status(metrics));
            resources.add(metricsServer);
            LOG.info("metrics on http://{}:{}/metrics, status on /status", cfg.metricsHost(), metricsServer.port());
        }
        int min = done == 0
                ? Math.max(cfg.startupNodes(), cfg.sampling().minAvailable())
                : cfg.sampling().minAvailable();
        LOG.info("waiting up to {} s for {} node(s)", cfg.startupWait().toSeconds(), min);
        int have = transport.awaitNodes(min, cfg.startupWait()).size();
        LOG.info("{} node(s) available; {} round {}", have, done > 0 ? "resuming at" : "starting", done + 1);

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("workload", cfg.workload());
        details.put("workload_config", cfg.workloadConfig().values());
        details.put("transport", cfg.insecure() ? "grpc-insecure" : "grpc-mtls");
        RunConfig rc = new RunConfig(
                        cfg.runId(), cfg.rounds(), cfg.seed(), cfg.roundTimeout(), cfg.checkpointEvery(), details)
                .withEvaluateEvery(cfg.evaluateEvery());
        run = Run.builder()
                .setConfig(rc)
                .setStrategy(strategy)
                .setTransport(transport)
                .setInitial(initial)
                .optDirectory(dir)
                .optListener(events)
                .optResumeAfter(done)
                .build();
        Run.Result result = run.execute();
        int last = result.rounds().isEmpty()
                ? done
                : result.rounds().get(result.rounds().size() - 1).round();
        store.setRunStatus(cfg.runId(), last >= cfg.rounds() ? "complete" : "stopped");
        LOG.info(
                "run {} {} after round {}; checkpoints in {}",
                cfg.runId(),
                last >= cfg.rounds() ? "complete" : "stopped",
                last,
                dir.checkpointDir());
        return result;
    }

    /** Stops after the current round (e.g. on SIGTERM). */
    public void stop() {
        Run r = run;
        if (r != null) {
            r.cancel();
        }
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

    private Map<String, Object> status(CoordinatorMetrics metrics) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("run_id", cfg.runId());
        s.put("workload", cfg.workload());
        s.put("strategy", cfg.strategy());
        s.put("rounds", cfg.rounds());
        s.put("current_round", metrics.currentRound());
        GrpcTransport t = transport;
        s.put("nodes", t == null ? List.of() : t.nodes());
        var last = metrics.lastRound();
        if (last != null) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("round", last.round());
            l.put("replies", last.replies());
            l.put("sampled", last.sampled());
            l.put("aggregated", last.aggregated());
            l.put("seconds", last.seconds());
            l.put("fit", last.fit());
            l.put("eval", last.eval());
            l.put(
                    "failures",
                    last.failures().stream()
                            .map(f ->
                                    Map.of("node", f.nodeId(), "kind", f.kind().name(), "reason", f.reason()))
                            .toList());
            last.federatedEval()
                    .ifPresent(fe -> l.put(
                            "federated_eval",
                            Map.of(
                                    "sampled", fe.sampled(),
                                    "replies", fe.replies(),
                                    "examples", fe.examples(),
                                    "metrics", fe.metrics())));
            s.put("last_round", l);
        }
        return s;
    }

    /**
     * Rewrites metrics.jsonl without the lines of rounds after {@code round} (they are re-run) and
     * without a torn last line left by a crash mid-write.
     */
    static void keepMetricsUpTo(RunDirectory dir, int round) throws IOException {
        Path f = dir.path().resolve("metrics.jsonl");
        if (!Files.exists(f)) {
            return;
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        List<String> keep = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                if (JSON.readTree(line).path("round").asInt(Integer.MAX_VALUE) <= round) {
                    keep.add(line);
                }
            } catch (IOException e) {
                LOG.warn(
                        "dropping a torn metrics.jsonl line: {}",
                        line.length() > 80 ? line.substring(0, 80) + "..." : line);
            }
        }
        if (keep.size() == lines.size()) {
            return;
        }
        LOG.info("metrics.jsonl: keeping {} line(s) up to round {}; later rounds will be re-run", keep.size(), round);
        Path tmp = f.resolveSibling("metrics.jsonl.partial");
        Files.write(tmp, keep, StandardCharsets.UTF_8);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
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
