package dev.atelier.studio;

import dev.atelier.sketch.local.LocalTrainSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a studio is started ({@code atelier studio}).
 *
 * @param bind interface to listen on; loopback by default, any other needs {@code password}
 * @param port TCP port (0: any free one, for tests)
 * @param home the only folder the studio writes to (database, uploads, models, sketches, caches)
 * @param jdbcUrl history database; null for embedded H2 under {@code home}
 * @param jdbcUser database user (may be null)
 * @param jdbcPassword database password (may be null)
 * @param password sign-in password; null means no sign-in, allowed only on a loopback bind
 * @param encoder public feature network file for fresh models, or null to train one from
 *     Fashion-MNIST once and cache it under {@code home/cache}
 * @param fashionMnist Fashion-MNIST folder, {@code "fixture"} (tests), or null for the usual places
 * @param training the schedule of a model trained from the page
 */
public record StudioSettings(
        String bind,
        int port,
        Path home,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        String password,
        Path encoder,
        String fashionMnist,
        LocalTrainSettings training) {
    public static final int DEFAULT_PORT = 7070;

    public StudioSettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(training, "training");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
        }
        home = home.toAbsolutePath().normalize();
        if (password != null && password.length() < 8) {
            throw new IllegalArgumentException("the studio password must have at least 8 characters");
        }
        if (!loopback(bind) && password == null) {
            throw new IllegalArgumentException("--bind " + bind + " is not a loopback address: other machines could"
                    + " reach the studio, so set a password (--password-file FILE or ATELIER_STUDIO_PASSWORD)");
        }
    }

    /** Loopback, the default for a designer's own machine. */
    public static StudioSettings local(Path home) {
        return new StudioSettings(
                "127.0.0.1", DEFAULT_PORT, home, null, null, null, null, null, null, LocalTrainSettings.DEFAULTS);
    }

    public StudioSettings withPort(int p) {
        return new StudioSettings(
                bind, p, home, jdbcUrl, jdbcUser, jdbcPassword, password, encoder, fashionMnist, training);
    }

    public StudioSettings withTraining(LocalTrainSettings t) {
        return new StudioSettings(
                bind, port, home, jdbcUrl, jdbcUser, jdbcPassword, password, encoder, fashionMnist, t);
    }

    public StudioSettings withEncoder(Path file, String fashionMnistDir) {
        return new StudioSettings(
                bind, port, home, jdbcUrl, jdbcUser, jdbcPassword, password, file, fashionMnistDir, training);
    }

    public StudioSettings withPassword(String pw) {
        return new StudioSettings(
                bind, port, home, jdbcUrl, jdbcUser, jdbcPassword, pw, encoder, fashionMnist, training);
    }

    /** The JDBC URL actually used: the given one, or embedded H2 in {@code home/studio}. */
    public String databaseUrl() {
        return jdbcUrl != null ? jdbcUrl : "jdbc:h2:file:" + home.resolve("studio-db") + ";AUTO_SERVER=FALSE";
    }

    /** Whether {@code host} names only this machine (a literal loopback address or localhost). */
    public static boolean loopback(String host) {
        try {
            return "localhost".equalsIgnoreCase(host)
                    || InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind " + host + " is not an address of this machine", e);
        }
    }
}
