package dev.atelier.cli.studio;

import dev.atelier.sketch.local.LocalTrainSettings;
import dev.atelier.studio.Studio;
import dev.atelier.studio.StudioSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code atelier studio}: the designer's web app (module atelier-studio) on
 * http://127.0.0.1:7070 until Ctrl-C. Loopback only unless a password is set.
 */
@Command(
        name = "studio",
        mixinStandardHelpOptions = true,
        description = "Atelier Studio, the designer's web app: train in your style, create sketches, see history,"
                + " KPIs and what left your machine (http://127.0.0.1:7070).")
public final class StudioCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "7070", description = "TCP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description =
                    "Interface to listen on (default: ${DEFAULT-VALUE}); any other than loopback needs a password.")
    String bind;

    @Option(
            names = "--home",
            paramLabel = "DIR",
            description = "The studio's folder, the only place it writes to (default: ~/.atelier/studio).")
    Path home;

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description = "File whose first line is the sign-in password (or set ATELIER_STUDIO_PASSWORD).")
    Path passwordFile;

    @Option(
            names = "--jdbc-url",
            description = "History database (default: embedded H2 in the home folder), e.g. jdbc:postgresql://HOST/DB.")
    String jdbcUrl;

    @Option(names = "--jdbc-user", description = "Database user.")
    String jdbcUser;

    @Option(names = "--jdbc-password-file", paramLabel = "FILE", description = "File with the database password.")
    Path jdbcPasswordFile;

    @Option(
            names = "--encoder",
            paramLabel = "FILE",
            description = "Public feature network for new models (default: trained once on Fashion-MNIST, cached in"
                    + " the home folder).")
    Path encoder;

    @Option(
            names = "--fashion-mnist",
            paramLabel = "DIR",
            description = "Fashion-MNIST folder (default: the usual places).")
    String fashionMnist;

    @Option(names = "--warmup", defaultValue = "50", description = "Warm-up steps of a model trained from the page.")
    int warmup;

    @Option(names = "--steps", defaultValue = "300", description = "GAN steps of a model trained from the page.")
    int steps;

    @Option(names = "--batch-size", defaultValue = "16", description = "Batch size of a model trained from the page.")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        String password = System.getenv("ATELIER_STUDIO_PASSWORD");
        if (passwordFile != null) {
            password = firstLine(passwordFile);
        }
        Path dir = home != null ? home : Path.of(System.getProperty("user.home"), ".atelier", "studio");
        StudioSettings settings = new StudioSettings(
                bind,
                port,
                dir,
                jdbcUrl,
                jdbcUser,
                jdbcPasswordFile == null ? null : firstLine(jdbcPasswordFile),
                password == null || password.isEmpty() ? null : password,
                encoder,
                fashionMnist,
                new LocalTrainSettings(warmup, steps, batchSize, 0, 50));
        Studio studio = Studio.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                studio.close();
            } catch (Exception e) {
                System.err.println("studio: " + e.getMessage());
            }
            stopped.countDown();
        }));
        System.out.println("Atelier Studio on " + studio.url() + " (home " + settings.home() + "); Ctrl-C stops it");
        stopped.await();
        return 0;
    }

    private static String firstLine(Path f) throws java.io.IOException {
        String s = Files.readString(f, StandardCharsets.UTF_8)
                .lines()
                .findFirst()
                .orElse("")
                .strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException(f + " is empty");
        }
        return s;
    }
}
