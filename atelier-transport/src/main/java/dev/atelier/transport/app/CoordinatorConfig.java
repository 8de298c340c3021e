package dev.atelier.transport.app;

import dev.atelier.core.message.Config;
import dev.atelier.core.run.ReplyLimits;
import dev.atelier.core.strategy.ReplyMemoryBudget;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.StrategyRegistry;
import dev.atelier.core.strategy.StrategySpec;
import dev.atelier.core.strategy.TrainKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The coordinator's settings, read from a TOML file ({@link TomlConfigFile}; keys and defaults in
 * docs/deployment.md) as flat dotted keys ({@code [sampling] fraction} is {@code sampling.fraction}),
 * grouped by concern. Each group reads its own
 * keys, so a key is declared once; keys no group reads are an error, so a typo never silently
 * falls back to a default. Relative paths resolve against the file's folder. Immutable.
 *
 * @param federation what is federated: run id, workload and the settings sent to nodes
 * @param schedule   rounds, strategy, node sampling and checkpoints
 * @param timing     deadlines and heartbeats
 * @param listen     gRPC and metrics addresses
 * @param tls        certificates, or the insecure loopback mode
 * @param database   the state database
 * @param storage    run directories and transport scratch space
 * @param limits     transfer and memory bounds
 * @param privacy    secure aggregation and DP-FedAvg ({@link PrivacySettings})
 */
public record CoordinatorConfig(
        Federation federation,
        Schedule schedule,
        Timing timing,
        Listen listen,
        Tls tls,
        Database database,
        Storage storage,
        Limits limits,
        PrivacySettings privacy) {
    public CoordinatorConfig {
        Objects.requireNonNull(federation, "federation");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(privacy, "privacy").checkStrategy(schedule.strategy(), schedule.sampling());
    }

    /**
     * @param runId          run id (also the run directory name)
     * @param workload       workload name ({@code classifier}, {@code sketch}...)
     * @param workloadConfig {@code workload_settings.*} keys, for the initial model and every node
     *                       (not {@code workload.*}: in TOML {@code workload} is the name, a string,
     *                       and cannot also be a table)
     * @param trainConfig    {@code train.*} keys, sent with every instruction
     */
    public record Federation(String runId, String workload, Config workloadConfig, Config trainConfig) {
        static Federation read(ConfigReader r) {
            Config train = r.prefixed("train.");
            TrainKeys.check(train, "train.");
            return new Federation(
                    r.required("run_id"), r.required("workload"), r.prefixed("workload_settings."), train);
        }
    }

    /**
     * @param rounds          rounds in total, {@code >= 1}
     * @param seed            node sampling seed
     * @param strategy        the strategy ({@code strategy = krum:f=1}; see {@link StrategyRegistry})
     * @param sampling        node sampling and quorum
     * @param startupNodes    nodes to wait for before round 1 of a fresh run (a resumed run waits
     *                        for {@code min_available}, since its nodes are reconnecting)
     * @param checkpointEvery checkpoint every N rounds
     * @param evaluateEvery   federated evaluation on the nodes' held-out data every N rounds
     *                        ({@code evaluate_every}, default 0 = off)
     */
    public record Schedule(
            int rounds,
            long seed,
            StrategySpec strategy,
            Sampling sampling,
            int startupNodes,
            int checkpointEvery,
            int evaluateEvery) {
        static Schedule read(ConfigReader r) {
            int rounds = r.integer("rounds", 0);
            if (rounds < 1) {
                throw new IllegalArgumentException("rounds must be set to at least 1");
            }
            int minAvailable = r.atLeast("sampling.min_available", 1, 1);
            int minReplies = r.atLeast("sampling.min_replies", 1, 1);
            if (minReplies > minAvailable) {
                throw new IllegalArgumentException("'sampling.min_replies' (" + minReplies
                        + ") must be at most 'sampling.min_available' (" + minAvailable + ")");
            }
            double fraction = r.between("sampling.fraction", 1.0, 0, 1);
            if (fraction == 0) {
                throw new IllegalArgumentException("'sampling.fraction' must be in (0, 1], got 0");
            }
            Sampling sampling = new Sampling(
                    fraction, minAvailable, minReplies, r.between("sampling.max_failure_fraction", 0.5, 0, 1));
            return new Schedule(
                    rounds,
                    r.longValue("seed", 0),
                    StrategyRegistry.parse(r.string("strategy", "fedavg")),
                    sampling,
                    r.atLeast("startup_nodes", minAvailable, 1),
                    r.atLeast("checkpoint_every", 1, 1),
                    r.atLeast("evaluate_every", 0, 0));
        }
    }

    /**
     * @param roundTimeout per-round deadline
     * @param startupWait  how long to wait for {@link Schedule#startupNodes()} before round 1
     * @param heartbeat    node heartbeat interval
     * @param liveness     silence after which a node is dropped
     * @param shutdownGrace on SIGTERM, how long the round in progress may take to finish before it
     *                      is abandoned ({@code shutdown_grace_s}, default 30 s)
     */
    public record Timing(
            Duration roundTimeout,
            Duration startupWait,
            Duration heartbeat,
            Duration liveness,
            Duration shutdownGrace) {
        static Timing read(ConfigReader r) {
            Duration heartbeat = r.seconds("heartbeat_s", 5);
            Duration liveness = r.seconds("liveness_s", 3 * heartbeat.toMillis() / 1000.0);
            if (liveness.compareTo(heartbeat) <= 0) {
                // Every node would be dropped between two of its own heartbeats.
                throw new IllegalArgumentException("'liveness_s' (" + liveness.toMillis() / 1000.0
                        + ") must be longer than 'heartbeat_s' (" + heartbeat.toMillis() / 1000.0 + ")");
            }
            return new Timing(
                    r.seconds("round_timeout_s", 600),
                    r.seconds("startup_wait_s", 300),
                    heartbeat,
                    liveness,
                    r.seconds("shutdown_grace_s", 30));
        }
    }

    /** A listen address; port 0 binds any free port. */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /**
     * @param grpc    the gRPC listen address ({@code listen})
     * @param metrics the /metrics and /status address ({@code metrics_listen}), null when "off"
     */
    public record Listen(HostPort grpc, HostPort metrics) {
        static Listen read(ConfigReader r) {
            String metrics = r.string("metrics_listen", "127.0.0.1:9464");
            return new Listen(
                    r.hostPort("listen", "0.0.0.0:7443"),
                    metrics.equalsIgnoreCase("off") ? null : ConfigReader.parseHostPort("metrics_listen", metrics));
        }
    }

    /**
     * @param certDir         CA directory (allowlist, revocation list, coordinator bundle), null when insecure
     * @param coordinatorCert bundle name inside certDir
     * @param insecure        plaintext loopback demo mode
     */
    public record Tls(Path certDir, String coordinatorCert, boolean insecure) {
        static Tls read(ConfigReader r) {
            boolean insecure = r.bool("insecure", false);
            Path certDir = r.has("cert_dir") ? r.path("cert_dir", "") : null;
            if (certDir == null && !insecure) {
                throw new IllegalArgumentException(
                        "set cert_dir (the folder made by `atelier certs init`), or insecure = true for a loopback demo");
            }
            return new Tls(certDir, r.string("coordinator_cert", "coordinator"), insecure);
        }
    }

    /**
     * @param url      JDBC URL of the state database
     * @param user     database user (may be empty)
     * @param password database password (may be empty; never printed)
     */
    public record Database(String url, String user, String password) {
        static Database read(ConfigReader r, Storage storage) {
            return new Database(
                    r.string(
                            "db_url",
                            "jdbc:h2:file:"
                                    + storage.stateDir().resolve("atelier").toAbsolutePath()),
                    r.string("db_user", ""),
                    r.string("db_password", ""));
        }

        @Override
        public String toString() {
            return "Database[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***") + "]";
        }
    }

    /**
     * @param runDir   parent of run directories
     * @param stateDir transport scratch space (staged uploads, outgoing payloads)
     */
    public record Storage(Path runDir, Path stateDir) {
        static Storage read(ConfigReader r) {
            return new Storage(r.path("run_dir", "runs"), r.path("state_dir", "state"));
        }
    }

    /**
     * @param chunkBytes   stream chunk size in bytes
     * @param maxUploads   concurrent uploads admitted
     * @param memoryBudget memory for strategies that hold every reply ({@code memory_budget_mb};
     *                     default {@link ReplyMemoryBudget#DEFAULT_HEAP_FRACTION} of the heap)
     * @param uploadIdle   longest an admitted upload may go without a frame before it is aborted
     *                     and its slot released ({@code upload_idle_s}, default 60 s)
     * @param replies      bounds on one reply's weight and update norm ({@code reply_limits.*};
     *                     default {@link ReplyLimits#DEFAULT}, on)
     */
    public record Limits(
            int chunkBytes, int maxUploads, ReplyMemoryBudget memoryBudget, Duration uploadIdle, ReplyLimits replies) {
        static Limits read(ConfigReader r) {
            int chunkKib = r.atLeast("chunk_kib", 2048, 1);
            if (chunkKib > 64 * 1024) {
                throw new IllegalArgumentException("'chunk_kib' must be at most 65536, got " + chunkKib);
            }
            return new Limits(
                    chunkKib * 1024,
                    r.atLeast("max_concurrent_uploads", 4, 1),
                    r.has("memory_budget_mb")
                            ? megabytes(r.longValue("memory_budget_mb", 0))
                            : ReplyMemoryBudget.ofHeap(),
                    r.seconds("upload_idle_s", 60),
                    replyLimits(r));
        }

        /**
         * {@code reply_limits.max_examples} (integer ≥ 1), {@code .max_update_norm_ratio} (finite
         * number > 0, or {@code "off"}) and {@code .norm_floor_rms} (finite number ≥ 0).
         */
        private static ReplyLimits replyLimits(ConfigReader r) {
            long maxExamples = r.longValue("reply_limits.max_examples", ReplyLimits.DEFAULT_MAX_EXAMPLES);
            if (maxExamples < 1) {
                throw new IllegalArgumentException(
                        "'reply_limits.max_examples' must be at least 1, got " + maxExamples);
            }
            String ratioKey = "reply_limits.max_update_norm_ratio";
            double ratio;
            if (r.string(ratioKey, "").equalsIgnoreCase("off")) {
                ratio = Double.POSITIVE_INFINITY;
            } else {
                ratio = r.real(ratioKey, ReplyLimits.DEFAULT_MAX_UPDATE_NORM_RATIO);
                if (!(ratio > 0) || Double.isInfinite(ratio)) {
                    throw new IllegalArgumentException(
                            "'" + ratioKey + "' must be a finite number > 0 or \"off\", got " + ratio);
                }
            }
            double floor = r.real("reply_limits.norm_floor_rms", ReplyLimits.DEFAULT_NORM_FLOOR_RMS);
            if (!(floor >= 0) || Double.isInfinite(floor)) {
                throw new IllegalArgumentException(
                        "'reply_limits.norm_floor_rms' must be a finite number >= 0, got " + floor);
            }
            return new ReplyLimits(maxExamples, ratio, floor);
        }

        private static ReplyMemoryBudget megabytes(long mb) {
            try {
                return ReplyMemoryBudget.ofMegabytes(mb);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'memory_budget_mb': " + e.getMessage(), e);
            }
        }
    }

    /**
     * Reads and validates a TOML config file ({@link TomlConfigFile}).
     *
     * @throws IOException              the file is missing, unreadable or oversize
     * @throws IllegalArgumentException one line: a syntax error with line and column, an unknown
     *                                  key, or a value of the wrong type or range, naming the key
     */
    public static CoordinatorConfig load(Path file) throws IOException {
        return parse(TomlConfigFile.read(file), file.toAbsolutePath().getParent());
    }

    /** Validates settings given as a map; relative paths resolve against {@code base}. */
    public static CoordinatorConfig parse(Map<String, String> m, Path base) {
        ConfigReader r = new ConfigReader(m, base);
        Storage storage = Storage.read(r);
        CoordinatorConfig c = new CoordinatorConfig(
                Federation.read(r),
                Schedule.read(r),
                Timing.read(r),
                Listen.read(r),
                Tls.read(r),
                Database.read(r, storage),
                storage,
                Limits.read(r),
                PrivacySettings.read(r));
        r.rejectUnknown();
        return c;
    }
}
