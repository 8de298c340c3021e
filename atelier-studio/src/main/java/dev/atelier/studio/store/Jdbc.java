package dev.atelier.studio.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The plain-JDBC plumbing of {@link StudioStore}: statements with bound values, one transaction
 * per write (rolled back on failure), the next free number of a column. Not thread-safe: the
 * store's synchronized methods are its only callers.
 */
final class Jdbc {
    /** One write's statements, run in one transaction. */
    interface Work {
        void run() throws SQLException;
    }

    private final Connection c;

    Jdbc(Connection c) {
        this.c = c;
    }

    Connection connection() {
        return c;
    }

    PreparedStatement prepare(String sql) throws SQLException {
        return c.prepareStatement(sql);
    }

    void write(Work w) throws SQLException {
        try {
            w.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            return p.executeUpdate();
        }
    }

    static void bind(PreparedStatement p, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            p.setObject(i + 1, args[i]);
        }
    }

    /** {@code SELECT MAX(col) ...} plus one; 1 for an empty table. */
    int maxPlusOne(String sql) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql);
                ResultSet r = p.executeQuery()) {
            return r.next() ? r.getInt(1) + 1 : 1;
        }
    }
}
