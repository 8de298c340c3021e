package dev.atelier.studio.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The studio's history and settings in a relational database through plain JDBC, as the
 * coordinator's {@code StateStore}: embedded H2 under the home folder by default, any JDBC URL
 * whose driver is on the class path otherwise (PostgreSQL). Portable SQL: CREATE TABLE IF NOT
 * EXISTS, update-then-insert. Tables are prefixed {@code studio_}.
 *
 * <p>Thread-safe: one connection, every method synchronized, each write its own transaction.
 */
public final class StudioStore implements AutoCloseable {
    private final Jdbc db;

    private StudioStore(Connection c) {
        this.db = new Jdbc(c);
    }

    public static StudioStore open(String url, String user, String password) throws SQLException {
        Connection c;
        try {
            c = DriverManager.getConnection(url, user, password);
        } catch (SQLException e) {
            throw new SQLException(
                    "cannot open the studio database " + url + ": " + e.getMessage()
                            + (url.startsWith("jdbc:h2:") ? " (is another studio using this home folder?)" : ""),
                    e);
        }
        c.setAutoCommit(false);
        StudioStore s = new StudioStore(c);
        s.createSchema();
        return s;
    }

    private void createSchema() throws SQLException {
        try (Statement st = db.connection().createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS studio_settings (name VARCHAR(100) PRIMARY KEY, val VARCHAR(4000))");
            st.execute("CREATE TABLE IF NOT EXISTS studio_folders (folder INTEGER PRIMARY KEY, created TIMESTAMP,"
                    + " name VARCHAR(300), garments INTEGER, sketches INTEGER, pairs INTEGER, errors INTEGER,"
                    + " warnings INTEGER)");
            st.execute("CREATE TABLE IF NOT EXISTS studio_versions (version INTEGER PRIMARY KEY, created TIMESTAMP,"
                    + " source VARCHAR(300), folder INTEGER, status VARCHAR(20), steps INTEGER, total_steps INTEGER,"
                    + " last_l1 DOUBLE PRECISION, message VARCHAR(4000))");
            st.execute("CREATE TABLE IF NOT EXISTS studio_sketches (id VARCHAR(64) PRIMARY KEY, created TIMESTAMP,"
                    + " version INTEGER, input_id VARCHAR(64), input_name VARCHAR(300), blend DOUBLE PRECISION,"
                    + " student BOOLEAN, candidate INTEGER, variation VARCHAR(100), decision VARCHAR(10))");
            st.execute("CREATE TABLE IF NOT EXISTS studio_timings (id VARCHAR(64) PRIMARY KEY, at TIMESTAMP,"
                    + " shown_ms DOUBLE PRECISION, server_ms DOUBLE PRECISION)");
        }
        db.connection().commit();
    }

    // ---- settings

    public synchronized Optional<String> setting(String name) throws SQLException {
        try (PreparedStatement p = db.prepare("SELECT val FROM studio_settings WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
            }
        }
    }

    public synchronized void setSetting(String name, String value) throws SQLException {
        db.write(() -> {
            if (db.update("UPDATE studio_settings SET val = ? WHERE name = ?", value, name) == 0) {
                db.update("INSERT INTO studio_settings (name, val) VALUES (?, ?)", name, value);
            }
        });
    }

    // ---- folders

    public synchronized int nextFolder() throws SQLException {
        return db.maxPlusOne("SELECT MAX(folder) FROM studio_folders");
    }

    public synchronized void addFolder(UploadedFolder f) throws SQLException {
        db.write(() -> db.update(
                "INSERT INTO studio_folders (folder, created, name, garments, sketches, pairs, errors, warnings)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                f.folder(),
                Timestamp.from(f.created()),
                f.name(),
                f.garments(),
                f.sketches(),
                f.pairs(),
                f.errors(),
                f.warnings()));
    }

    public synchronized List<UploadedFolder> folders() throws SQLException {
        List<UploadedFolder> out = new ArrayList<>();
        try (PreparedStatement p = db.prepare("SELECT folder, created, name, garments, sketches, pairs,"
                        + " errors, warnings FROM studio_folders ORDER BY folder DESC");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(new UploadedFolder(
                        r.getInt(1),
                        r.getTimestamp(2).toInstant(),
                        r.getString(3),
                        r.getInt(4),
                        r.getInt(5),
                        r.getInt(6),
                        r.getInt(7),
                        r.getInt(8)));
            }
        }
        return out;
    }

    public synchronized Optional<UploadedFolder> folder(int n) throws SQLException {
        return folders().stream().filter(f -> f.folder() == n).findFirst();
    }

    // ---- versions

    public synchronized int nextVersion() throws SQLException {
        return db.maxPlusOne("SELECT MAX(version) FROM studio_versions");
    }

    public synchronized void putVersion(Version v) throws SQLException {
        db.write(() -> {
            Object[] values = {
                Timestamp.from(v.created()),
                v.source(),
                v.folder(),
                v.status().name(),
                v.steps(),
                v.totalSteps(),
                Double.isNaN(v.lastL1()) ? null : v.lastL1(),
                v.message(),
                v.version()
            };
            if (db.update(
                            "UPDATE studio_versions SET created = ?, source = ?, folder = ?, status = ?, steps = ?,"
                                    + " total_steps = ?, last_l1 = ?, message = ? WHERE version = ?",
                            values)
                    == 0) {
                db.update(
                        "INSERT INTO studio_versions (created, source, folder, status, steps, total_steps, last_l1,"
                                + " message, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        values);
            }
        });
    }

    public synchronized List<Version> versions() throws SQLException {
        List<Version> out = new ArrayList<>();
        try (PreparedStatement p = db.prepare("SELECT version, created, source, folder, status, steps,"
                        + " total_steps, last_l1, message FROM studio_versions ORDER BY version DESC");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                double l1 = r.getDouble(8);
                boolean noL1 = r.wasNull(); // right after the read it refers to
                out.add(new Version(
                        r.getInt(1),
                        r.getTimestamp(2).toInstant(),
                        r.getString(3),
                        r.getInt(4),
                        Version.Status.valueOf(r.getString(5)),
                        r.getInt(6),
                        r.getInt(7),
                        noL1 ? Double.NaN : l1,
                        r.getString(9)));
            }
        }
        return out;
    }

    public synchronized Optional<Version> version(int n) throws SQLException {
        return versions().stream().filter(v -> v.version() == n).findFirst();
    }

    // ---- sketches

    public synchronized void addSketch(KeptSketch s) throws SQLException {
        db.write(() -> db.update(
                "INSERT INTO studio_sketches (id, created, version, input_id, input_name, blend, student, candidate,"
                        + " variation, decision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s.id(),
                Timestamp.from(s.created()),
                s.version(),
                s.inputId(),
                s.inputName(),
                s.blend(),
                s.student(),
                s.candidate(),
                s.variation(),
                decision(s.decision())));
    }

    /** Records keep (true) or discard (false); returns whether the sketch exists. */
    public synchronized boolean decide(String id, boolean keep) throws SQLException {
        int[] n = {0};
        db.write(() -> n[0] = db.update("UPDATE studio_sketches SET decision = ? WHERE id = ?", decision(keep), id));
        return n[0] > 0;
    }

    public synchronized Optional<KeptSketch> sketch(String id) throws SQLException {
        List<KeptSketch> l = sketches("WHERE id = ?", id);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /**
     * Kept sketches, newest first, whose input name, variation, version ({@code v3}) or date
     * ({@code 2026-12-01}) contains {@code query} (case-insensitive; null or blank: all).
     */
    public synchronized List<KeptSketch> kept(String query, int limit) throws SQLException {
        String q = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
        return sketches("WHERE decision = 'kept' ORDER BY created DESC").stream()
                .filter(s -> q.isEmpty()
                        || s.inputName().toLowerCase(Locale.ROOT).contains(q)
                        || s.variation().toLowerCase(Locale.ROOT).contains(q)
                        || ("v" + s.version()).equals(q)
                        || s.created().toString().startsWith(q))
                .limit(limit)
                .toList();
    }

    /** Every sketch generated (kept, discarded or undecided), oldest first. */
    public synchronized List<KeptSketch> allSketches() throws SQLException {
        return sketches("ORDER BY created");
    }

    private List<KeptSketch> sketches(String where, Object... args) throws SQLException {
        List<KeptSketch> out = new ArrayList<>();
        try (PreparedStatement p = db.prepare("SELECT id, created, version, input_id, input_name, blend,"
                + " student, candidate, variation, decision FROM studio_sketches " + where)) {
            Jdbc.bind(p, args);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    String d = r.getString(10);
                    out.add(new KeptSketch(
                            r.getString(1),
                            r.getTimestamp(2).toInstant(),
                            r.getInt(3),
                            r.getString(4),
                            r.getString(5),
                            r.getDouble(6),
                            r.getBoolean(7),
                            r.getInt(8),
                            r.getString(9),
                            d == null ? null : "kept".equals(d)));
                }
            }
        }
        return out;
    }

    private static String decision(Boolean keep) {
        return keep == null ? null : keep ? "kept" : "discarded";
    }

    // ---- time to sketch

    /** The time from upload to sketch shown, measured by the page; one per request id (first wins). */
    public synchronized boolean addTiming(String requestId, Instant at, double shownMs, double serverMs)
            throws SQLException {
        if (timingExists(requestId)) {
            return false;
        }
        db.write(() -> db.update(
                "INSERT INTO studio_timings (id, at, shown_ms, server_ms) VALUES (?, ?, ?, ?)",
                requestId,
                Timestamp.from(at),
                shownMs,
                serverMs));
        return true;
    }

    private boolean timingExists(String id) throws SQLException {
        try (PreparedStatement p = db.prepare("SELECT 1 FROM studio_timings WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    /** Measured upload-to-shown times in milliseconds, oldest first. */
    public synchronized List<Double> shownMillis() throws SQLException {
        List<Double> out = new ArrayList<>();
        try (PreparedStatement p = db.prepare("SELECT shown_ms FROM studio_timings ORDER BY at");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(r.getDouble(1));
            }
        }
        return out;
    }

    @Override
    public synchronized void close() throws SQLException {
        db.connection().close();
    }
}
