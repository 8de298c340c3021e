package dev.atelier.transport.app;

import dev.atelier.core.message.Config;
import dev.atelier.core.strategy.Sampling;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The coordinator's settings, read from a Java properties file ({@code key = value}, {@code #}
 * comments; format in docs/deployment.md). Relative paths resolve against the file's folder.
 * Unknown keys are an error, so a typo never silently falls back to a default. Immutable.
 *
 * @param runId           run id (also the run directory name)
 * @param workload        workload name ({@code classifier}, {@code sketch}...)
 * @param rounds          rounds in total
 * @param seed            node sampling seed
 * @param strategy        strategy name ({@code fedavg})
 * @param sampling        node sampling and quorum
 * @param roundTimeout    per-round deadline
 * @param startupWait     how long to wait for {@code startupNodes} nodes before round 1 of a fresh run
 * @param startupNodes    nodes to wait for before round 1 of a fresh run (a resumed run waits for
 *                        {@code min_available}, since its nodes are reconnecting)
 * @param checkpointEvery checkpoint every N rounds
 * @param evaluateEvery   federated evaluation on the nodes' held-out data every N rounds
 *                        ({@code evaluate_every}, default 0 = off)
 * @param listenHost      gRPC listen address
 * @param listenPort      gRPC port
 * @param metricsHost     /metrics and /status address, or null when disabled
 * @param metricsPort     /metrics port (0 = any free port)
 * @param certDir         CA directory (allowlist, revocation list, coordinator bundle), null when insecure
 * @param coordinatorCert bundle name inside certDir
 * @param insecure        plaintext loopback demo mode
 * @param dbUrl           JDBC URL of the state database
 * @param dbUser          database user (may be empty)
 * @param dbPassword      database password (may be empty)
 * @param runDir          parent of run directories
 * @param stateDir        transport scratch space (staged uploads, outgoing payloads)
 * @param heartbeat       node heartbeat interval
 * @param liveness        silence after which a node is dropped
 * @param chunkBytes      stream chunk size in bytes
 * @param maxUploads      concurrent uploads admitted
 * @param trainConfig     {@code train.*} keys, sent with every instruction
 * @param workloadConfig  {@code workload.*} keys, for the initial model and every node
 */
public record CoordinatorConfig(
        String runId,
        String workload,
        int rounds,
        long seed,
        String strategy,
        Sampling sampling,
        Duration roundTimeout,
        Duration startupWait,
        int startupNodes,
        int checkpointEvery,
        int evaluateEvery,
        String listenHost,
        int listenPort,
        String metricsHost,
        int metricsPort,
        Path certDir,
        String coordinatorCert,
        boolean insecure,
        String dbUrl,
        String dbUser,
        String dbPassword,
        Path runDir,
        Path stateDir,
        Duration heartbeat,
        Duration liveness,
        int chunkBytes,
        int maxUploads,
        Config trainConfig,
        Config workloadConfig) {
    private static final Set<String> KEYS = Set.of(
            "run_id",
            "workload",
            "rounds",
            "seed",
            "strategy",
            "sampling.fraction",
            "sampling.min_available",
            "sampling.min_replies",
            "sampling.max_failure_fraction",
            "round_timeout_s",
            "startup_wait_s",
            "startup_nodes",
            "checkpoint_every",
            "evaluate_every",
            "listen",
            "metrics_listen",
            "cert_dir",
            "coordinator_cert",
            "insecure",
            "db_url",
            "db_user",
            "db_password",
            "run_dir",
            "state_dir",
            "heartbeat_s",
            "liveness_s",
            "chunk_kib",
            "max_concurrent_uploads");

    /** Reads and validates a config file. */
    public static CoordinatorConfig load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("coordinator config " + file + " not found");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k.strip(), p.getProperty(k).strip()));
        return parse(m, file.toAbsolutePath().getParent());
    }

    /** Validates settings given as a map; relative paths resolve against {@code base}. */
    public static CoordinatorConfig parse(Map<String, String> m, Path base) {
        Set<String> unknown = new TreeSet<>();
        Map<String, String> train = new TreeMap<>();
        Map<String, String> work = new TreeMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith("train.")) {
                train.put(k.substring(6), v);
            } else if (k.startsWith("workload.")) {
                work.put(k.substring(9), v);
            } else if (!KEYS.contains(k)) {
                unknown.add(k);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown coordinator config key(s) " + unknown + "; known: "
                    + new TreeSet<>(KEYS) + ", train.*, workload.*");
        }
        Config c = new Config(m);
        String runId = required(c, "run_id");
        int minAvailable = c.getInt("sampling.min_available", 1);
        Sampling sampling = new Sampling(
                c.getDouble("sampling.fraction", 1.0),
                minAvailable,
                c.getInt("sampling.min_replies", 1),
                c.getDouble("sampling.max_failure_fraction", 0.5));
        boolean insecure = c.getBoolean("insecure", false);
        String[] listen = hostPort(c.getString("listen", "0.0.0.0:7443"), "listen");
        String metrics = c.getString("metrics_listen", "127.0.0.1:9464");
        String[] metricsHp = metrics.equalsIgnoreCase("off") ? null : hostPort(metrics, "metrics_listen");
        Path certDir =
                m.containsKey("cert_dir") ? base.resolve(m.get("cert_dir")).normalize() : null;
        if (certDir == null && !insecure) {
            throw new IllegalArgumentException(
                    "set cert_dir (the folder made by `atelier certs init`), or insecure = true for a loopback demo");
        }
        Path stateDir = base.resolve(c.getString("state_dir", "state")).normalize();
        String dbUrl = c.getString(
                "db_url", "jdbc:h2:file:" + stateDir.resolve("atelier").toAbsolutePath());
        double heartbeat = c.getDouble("heartbeat_s", 5);
        int rounds = c.getInt("rounds", 0);
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be set to at least 1");
        }
        return new CoordinatorConfig(
                runId,
                required(c, "workload"),
                rounds,
                c.getLong("seed", 0),
                c.getString("strategy", "fedavg"),
                sampling,
                seconds(c.getDouble("round_timeout_s", 600)),
                seconds(c.getDouble("startup_wait_s", 300)),
                c.getInt("startup_nodes", minAvailable),
                c.getInt("checkpoint_every", 1),
                c.getInt("evaluate_every", 0),
                listen[0],
                Integer.parseInt(listen[1]),
                metricsHp == null ? null : metricsHp[0],
                metricsHp == null ? -1 : Integer.parseInt(metricsHp[1]),
                certDir,
                c.getString("coordinator_cert", "coordinator"),
                insecure,
                dbUrl,
                c.getString("db_user", ""),
                c.getString("db_password", ""),
                base.resolve(c.getString("run_dir", "runs")).normalize(),
                stateDir,
                seconds(heartbeat),
                seconds(c.getDouble("liveness_s", 3 * heartbeat)),
                c.getInt("chunk_kib", 2048) * 1024,
                c.getInt("max_concurrent_uploads", 4),
                new Config(train),
                new Config(work));
    }

    private static String required(Config c, String key) {
        String v = c.getString(key, "");
        if (v.isEmpty()) {
            throw new IllegalArgumentException("coordinator config needs '" + key + "'");
        }
        return v;
    }

    private static String[] hostPort(String v, String key) {
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || !v.substring(colon + 1).matches("\\d{1,5}")) {
            throw new IllegalArgumentException("'" + key + "' must be HOST:PORT, got '" + v + "'");
        }
        return new String[] {v.substring(0, colon), v.substring(colon + 1)};
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
