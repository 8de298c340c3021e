package dev.atelier.core.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The databases the store tests run against: an embedded H2 file in a temporary folder, or the
 * PostgreSQL server named by {@code ATELIER_TEST_POSTGRES_URL} (with {@code _USER} and
 * {@code _PASSWORD}; .ci/run installs, starts and exports it). Without that variable the
 * PostgreSQL case fails under CI and is skipped elsewhere ({@link Prerequisite}). The given tables
 * are dropped first so each case starts empty; the caller's classpath supplies the JDBC driver.
 */
public final class TestDatabases {
    /** A JDBC URL with its credentials ("" when none). */
    public record Db(String url, String user, String password) {}

    private TestDatabases() {}

    /**
     * @param kind   {@code h2} or {@code postgresql}
     * @param h2File the H2 database file (without extension), used for {@code h2}
     * @param tables the tables to drop on PostgreSQL before the case
     */
    public static Db of(String kind, Path h2File, List<String> tables) throws SQLException {
        if (kind.equals("h2")) {
            return new Db("jdbc:h2:file:" + h2File.toAbsolutePath(), "", "");
        }
        if (!kind.equals("postgresql")) {
            throw new IllegalArgumentException("database kind must be h2 or postgresql, got " + kind);
        }
        String url = System.getenv("ATELIER_TEST_POSTGRES_URL");
        Prerequisite.require(
                url != null && !url.isBlank(),
                "ATELIER_TEST_POSTGRES_URL is not set, so the PostgreSQL case has no server to use");
        String user = System.getenv().getOrDefault("ATELIER_TEST_POSTGRES_USER", "");
        String password = System.getenv().getOrDefault("ATELIER_TEST_POSTGRES_PASSWORD", "");
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement st = c.createStatement()) {
            for (String t : tables) {
                st.execute("DROP TABLE IF EXISTS " + t);
            }
        }
        return new Db(url, user, password);
    }
}
