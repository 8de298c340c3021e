package dev.atelier.transport.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.RoundRecordCodec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The coordinator's state in a relational database through plain JDBC: runs, rounds, nodes and
 * the wire audit. Embedded H2 (a file) by default; any JDBC URL whose driver is on the class path
 * works (PostgreSQL: {@code jdbc:postgresql://host/db}), since the SQL is portable (CREATE TABLE
 * IF NOT EXISTS, update-then-insert instead of vendor upserts). Tables are prefixed
 * {@code atelier_}; schema in docs/deployment.md.
 *
 * <p>Thread-safe: one connection, every method synchronized, each write its own transaction.
 */
public final class StateStore implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Connection db;

    private StateStore(Connection db) {
        this.db = db;
    }

    /**
     * Opens (and creates if needed) the database. An H2 URL gets {@code DB_CLOSE_ON_EXIT=FALSE}
     * unless it sets it: H2's own shutdown hook would otherwise close the database under a
     * coordinator that is recording its state on SIGTERM ({@link Coordinator#shutdown}).
     */
    public static StateStore open(String url, String user, String password) throws SQLException {
        if (url.startsWith("jdbc:h2:")
                && !url.toUpperCase(java.util.Locale.ROOT).contains("DB_CLOSE_ON_EXIT")) {
            url = url + ";DB_CLOSE_ON_EXIT=FALSE";
        }
        Connection c;
        try {
            c = DriverManager.getConnection(url, user, password);
        } catch (SQLException e) {
            throw new SQLException(
                    "cannot open the state database " + url + ": " + e.getMessage()
                            + (url.startsWith("jdbc:h2:")
                                    ? " (is another coordinator using it?)"
                                    : " (is its JDBC driver on the class path?)"),
                    e);
        }
        c.setAutoCommit(false);
        StateStore s = new StateStore(c);
        s.createSchema();
        return s;
    }

    private void createSchema() throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute(
                    "CREATE TABLE IF NOT EXISTS atelier_runs (run_id VARCHAR(200) PRIMARY KEY, workload VARCHAR(200),"
                            + " strategy VARCHAR(100), rounds INTEGER, status VARCHAR(40), last_round INTEGER, started_at TIMESTAMP,"
                            + " updated_at TIMESTAMP)");
            st.execute(
                    "CREATE TABLE IF NOT EXISTS atelier_rounds (run_id VARCHAR(200), round INTEGER, sampled INTEGER,"
                            + " replies INTEGER, failures INTEGER, aggregated BOOLEAN, seconds DOUBLE PRECISION, fit_json VARCHAR(1000000),"
                            + " eval_json VARCHAR(1000000), failures_json VARCHAR(1000000), finished_at TIMESTAMP, PRIMARY KEY (run_id, round))");
            st.execute(
                    "CREATE TABLE IF NOT EXISTS atelier_nodes (node_id VARCHAR(200) PRIMARY KEY, address VARCHAR(200),"
                            + " properties_json VARCHAR(1000000), status VARCHAR(40), first_seen TIMESTAMP, last_seen TIMESTAMP)");
            st.execute(
                    "CREATE TABLE IF NOT EXISTS atelier_wire (run_id VARCHAR(200), round INTEGER, node_id VARCHAR(200),"
                            + " direction VARCHAR(20), kind VARCHAR(20), bytes BIGINT, PRIMARY KEY (run_id, round, node_id, direction, kind))");
        }
        db.commit();
    }

    /** Records that a run starts or resumes after {@code completedRound}. */
    public synchronized void startRun(String runId, String workload, String strategy, int rounds, int completedRound)
            throws SQLException {
        Timestamp now = now();
        int n = update(
                "UPDATE atelier_runs SET status = ?, last_round = ?, updated_at = ? WHERE run_id = ?",
                RunStatus.RUNNING.text(),
                completedRound,
                now,
                runId);
        if (n == 0) {
            update(
                    "INSERT INTO atelier_runs (run_id, workload, strategy, rounds, status, last_round, started_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    runId,
                    workload,
                    strategy,
                    rounds,
                    RunStatus.RUNNING.text(),
                    completedRound,
                    now,
                    now);
        }
        update("DELETE FROM atelier_rounds WHERE run_id = ? AND round > ?", runId, completedRound);
        commit();
    }

    public synchronized void setRunStatus(String runId, RunStatus status) throws SQLException {
        update("UPDATE atelier_runs SET status = ?, updated_at = ? WHERE run_id = ?", status.text(), now(), runId);
        commit();
    }

    /** Stores one finished round (replacing an earlier row for it) and advances the run. */
    public synchronized void recordRound(String runId, RoundRecord r) throws SQLException {
        update("DELETE FROM atelier_rounds WHERE run_id = ? AND round = ?", runId, r.round());
        insertRound(runId, r);
        update("UPDATE atelier_runs SET last_round = ?, updated_at = ? WHERE run_id = ?", r.round(), now(), runId);
        commit();
    }

    /** Restores a round row from its metrics.jsonl record if the database lacks it (after a crash). */
    public synchronized void backfillRound(String runId, RoundRecord r) throws SQLException {
        if (!query("SELECT round FROM atelier_rounds WHERE run_id = ? AND round = ?", runId, r.round())
                .isEmpty()) {
            return;
        }
        insertRound(runId, r);
        commit();
    }

    /** The status of a run, if the database knows it. */
    public synchronized Optional<RunStatus> runStatus(String runId) throws SQLException {
        List<Map<String, Object>> rows = query("SELECT status FROM atelier_runs WHERE run_id = ?", runId);
        return rows.isEmpty()
                ? Optional.empty()
                : Optional.of(RunStatus.parse((String) rows.get(0).get("status")));
    }

    private void insertRound(String runId, RoundRecord r) throws SQLException {
        update(
                "INSERT INTO atelier_rounds (run_id, round, sampled, replies, failures, aggregated, seconds, fit_json, eval_json,"
                        + " failures_json, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                runId,
                r.round(),
                r.sampled(),
                r.replies(),
                r.failures().size(),
                r.aggregated(),
                r.seconds(),
                RoundRecordCodec.metricsToJson(r.fit()),
                RoundRecordCodec.metricsToJson(r.eval()),
                RoundRecordCodec.failuresToJson(r.failures()),
                now());
    }

    public synchronized void upsertNode(String nodeId, String address, Map<String, String> properties, String status)
            throws SQLException {
        Timestamp now = now();
        int n = update(
                "UPDATE atelier_nodes SET address = ?, properties_json = ?, status = ?, last_seen = ? WHERE node_id = ?",
                address,
                json(properties),
                status,
                now,
                nodeId);
        if (n == 0) {
            update(
                    "INSERT INTO atelier_nodes (node_id, address, properties_json, status, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)",
                    nodeId,
                    address,
                    json(properties),
                    status,
                    now,
                    now);
        }
        commit();
    }

    public synchronized void setNodeStatus(String nodeId, String status) throws SQLException {
        update("UPDATE atelier_nodes SET status = ?, last_seen = ? WHERE node_id = ?", status, now(), nodeId);
        commit();
    }

    /** Adds {@code bytes} to the wire audit of one node, round, direction and payload kind. */
    public synchronized void addWire(String runId, int round, String nodeId, String direction, String kind, long bytes)
            throws SQLException {
        int n = update(
                "UPDATE atelier_wire SET bytes = bytes + ? WHERE run_id = ? AND round = ? AND node_id = ? AND direction = ?"
                        + " AND kind = ?",
                bytes,
                runId,
                round,
                nodeId,
                direction,
                kind);
        if (n == 0) {
            update(
                    "INSERT INTO atelier_wire (run_id, round, node_id, direction, kind, bytes) VALUES (?, ?, ?, ?, ?, ?)",
                    runId,
                    round,
                    nodeId,
                    direction,
                    kind,
                    bytes);
        }
        commit();
    }

    public synchronized List<Map<String, Object>> runs() throws SQLException {
        return query("SELECT * FROM atelier_runs ORDER BY started_at");
    }

    public synchronized List<Map<String, Object>> rounds(String runId) throws SQLException {
        return query("SELECT * FROM atelier_rounds WHERE run_id = ? ORDER BY round", runId);
    }

    public synchronized List<Map<String, Object>> nodes() throws SQLException {
        return query("SELECT * FROM atelier_nodes ORDER BY node_id");
    }

    public synchronized List<Map<String, Object>> wire(String runId) throws SQLException {
        return query("SELECT * FROM atelier_wire WHERE run_id = ? ORDER BY round, node_id, direction, kind", runId);
    }

    @Override
    public synchronized void close() throws SQLException {
        db.close();
    }

    private int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        }
    }

    private List<Map<String, Object>> query(String sql, Object... args) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                int cols = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= cols; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
                    }
                    out.add(row);
                }
            }
        }
        db.commit();
        return out;
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private void commit() throws SQLException {
        db.commit();
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now());
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable to JSON: " + e.getMessage(), e);
        }
    }
}
