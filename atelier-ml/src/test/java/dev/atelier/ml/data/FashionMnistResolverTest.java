package dev.atelier.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search order and download behaviour, entirely inside temp folders and loopback. */
class FashionMnistResolverTest {

    /** Port 9 (discard) is closed on loopback, so connecting fails at once. */
    private static final URI DEAD_URL = URI.create("http://127.0.0.1:9/");

    @TempDir
    Path tmp;

    private Path home;
    private Path system;
    private Path cache;
    private HttpServer server;

    @BeforeEach
    void setUp() {
        home = tmp.resolve("home");
        system = tmp.resolve("usr-share");
        cache = home.resolve(".atelier/datasets/fashion-mnist");
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private FashionMnistResolver.Builder resolver(Map<String, String> env) {
        return FashionMnistResolver.builder()
                .environment(env)
                .userHome(home)
                .systemDir(system)
                .downloadBase(DEAD_URL)
                .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void explicitFolderWins() throws Exception {
        Path data = TestFiles.copyFixture(tmp.resolve("explicit"));
        TestFiles.copyFixture(system);
        TestFiles.copyFixture(cache);
        Path env = TestFiles.copyFixture(tmp.resolve("env"));

        ResolvedSource source = resolver(Map.of("ATELIER_DATA", env.toString()))
                .explicitDir(data)
                .build()
                .resolve();

        assertThat(source).isEqualTo(new ResolvedSource(data, ResolvedSource.Kind.EXPLICIT));
        assertThat(source.describe()).isEqualTo("resolved Fashion-MNIST from " + data + " (--data)");
    }

    @Test
    void explicitFolderMayHoldAFashionMnistSubfolder() throws Exception {
        Path root = tmp.resolve("root");
        TestFiles.copyFixture(root.resolve("fashion-mnist"));

        ResolvedSource source = resolver(Map.of()).explicitDir(root).build().resolve();

        assertThat(source.directory()).isEqualTo(root.resolve("fashion-mnist"));
    }

    @Test
    void incompleteExplicitFolderFailsInsteadOfFallingBack() throws Exception {
        Path data = TestFiles.copyFixture(tmp.resolve("explicit"));
        Files.delete(data.resolve("t10k-labels-idx1-ubyte.gz"));
        TestFiles.copyFixture(system);

        assertThatThrownBy(() -> resolver(Map.of()).explicitDir(data).build().resolve())
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("--data " + data + " does not hold the Fashion-MNIST files "
                        + "(missing t10k-labels-idx1-ubyte.gz)");
    }

    @Test
    void environmentComesBeforeCacheAndSystem() throws Exception {
        Path env = TestFiles.copyFixture(tmp.resolve("env"));
        TestFiles.copyFixture(cache);
        TestFiles.copyFixture(system);

        ResolvedSource source =
                resolver(Map.of("ATELIER_DATA", env.toString())).build().resolve();

        assertThat(source).isEqualTo(new ResolvedSource(env, ResolvedSource.Kind.ENVIRONMENT));
    }

    @Test
    void incompleteEnvironmentFolderFallsThroughToTheCache() throws Exception {
        Path env = Files.createDirectories(tmp.resolve("env"));
        TestFiles.copyFixture(cache);
        TestFiles.copyFixture(system);

        ResolvedSource source =
                resolver(Map.of("ATELIER_DATA", env.toString())).build().resolve();

        assertThat(source).isEqualTo(new ResolvedSource(cache, ResolvedSource.Kind.USER_CACHE));
    }

    @Test
    void systemFolderIsUsedWhenNothingElseHasTheFiles() throws Exception {
        TestFiles.copyFixture(system);
        // a partial cache does not count
        Files.createDirectories(cache);
        Files.writeString(cache.resolve("train-images-idx3-ubyte.gz"), "partial");

        ResolvedSource source = resolver(Map.of()).build().resolve();

        assertThat(source).isEqualTo(new ResolvedSource(system, ResolvedSource.Kind.SYSTEM));
        assertThat(source.describe()).endsWith(system + " (debian package)");
    }

    @Test
    void failedDownloadGivesOneErrorWithBothRemediesQuickly() throws Exception {
        long start = System.nanoTime();

        assertThatThrownBy(() -> resolver(Map.of()).build().resolve())
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("Fashion-MNIST not found (looked in ATELIER_DATA (not set), "
                        + cache + " (no such folder), " + system + " (no such folder); download of "
                        + "http://127.0.0.1:9/train-images-idx3-ubyte.gz failed: ")
                .hasMessageContaining("`sudo apt-get install dataset-fashion-mnist`")
                .hasMessageContaining("pass --data DIR pointing at a folder with the four .gz files "
                        + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, "
                        + "t10k-labels-idx1-ubyte.gz")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(leftovers(cache)).isEmpty();
    }

    @Test
    void disabledDownloadStillNamesBothRemedies() {
        assertThatThrownBy(() -> resolver(Map.of()).download(false).build().resolve())
                .isInstanceOf(DataException.class)
                .hasMessageContaining("download disabled")
                .hasMessageContaining("sudo apt-get install dataset-fashion-mnist")
                .hasMessageContaining("--data DIR");
    }

    @Test
    void downloadsVerifiesAndMovesFilesIntoTheCache() throws Exception {
        Path served = TestFiles.copyFixture(tmp.resolve("served"));
        URI base = serve(served, Map.of());

        ResolvedSource source = fixtureChecksums(resolver(Map.of()).downloadBase(base), served)
                .build()
                .resolve();

        assertThat(source).isEqualTo(new ResolvedSource(cache, ResolvedSource.Kind.DOWNLOADED));
        assertThat(leftovers(cache))
                .containsExactlyInAnyOrder(
                        "t10k-images-idx3-ubyte.gz",
                        "t10k-labels-idx1-ubyte.gz",
                        "train-images-idx3-ubyte.gz",
                        "train-labels-idx1-ubyte.gz");
        FashionMnistData data = FashionMnist.read(cache, FashionMnist.Verification.STRUCTURE);
        assertThat(data.train().labels())
                .isEqualTo(FashionMnist.loadFixture().train().labels());
    }

    @Test
    void downloadWithTheWrongChecksumLeavesNothingBehind() throws Exception {
        Path served = TestFiles.copyFixture(tmp.resolve("served"));
        // official checksums expected, fixture served: the first file must be rejected
        URI base = serve(served, Map.of());

        String servedSha = Checksums.sha256OfGzipContent(served.resolve("train-images-idx3-ubyte.gz"));

        assertThatThrownBy(() -> resolver(Map.of()).downloadBase(base).build().resolve())
                .isInstanceOf(DataException.class)
                .hasMessageContaining("train-images-idx3-ubyte.gz has the wrong checksum (content SHA-256 "
                        + servedSha
                        + ", expected " + FashionMnistFile.TRAIN_IMAGES.contentSha256() + ")")
                .hasMessageContaining("sudo apt-get install dataset-fashion-mnist");
        assertThat(leftovers(cache)).isEmpty();
    }

    @Test
    void truncatedDownloadLeavesNothingBehind() throws Exception {
        Path served = TestFiles.copyFixture(tmp.resolve("served"));
        byte[] whole = Files.readAllBytes(served.resolve("t10k-images-idx3-ubyte.gz"));
        URI base = serve(served, Map.of("t10k-images-idx3-ubyte.gz", java.util.Arrays.copyOf(whole, whole.length / 2)));

        assertThatThrownBy(() -> fixtureChecksums(resolver(Map.of()).downloadBase(base), served)
                        .build()
                        .resolve())
                .isInstanceOf(DataException.class)
                .hasMessageContaining("t10k-images-idx3-ubyte.gz is not a valid gzip file");
        // the two train files before it were verified and kept; the broken one left no trace
        assertThat(leftovers(cache))
                .containsExactlyInAnyOrder("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
    }

    @Test
    void httpErrorIsReported() throws Exception {
        URI base = serve(Files.createDirectories(tmp.resolve("empty")), Map.of());

        assertThatThrownBy(() -> resolver(Map.of()).downloadBase(base).build().resolve())
                .isInstanceOf(DataException.class)
                .hasMessageContaining("train-images-idx3-ubyte.gz failed: IOException: HTTP 404");
    }

    private FashionMnistResolver.Builder fixtureChecksums(FashionMnistResolver.Builder b, Path dir) throws IOException {
        for (FashionMnistFile f : FashionMnistFile.values()) {
            b.expectedContentSha256(f, Checksums.sha256OfGzipContent(dir.resolve(f.fileName())));
        }
        return b;
    }

    /** Serves files of {@code dir} on loopback; {@code overrides} replace some bodies. */
    private URI serve(Path dir, Map<String, byte[]> overrides) throws IOException {
        Map<String, byte[]> bodies = new HashMap<>(overrides);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring(1);
            Path file = dir.resolve(name);
            byte[] body = bodies.containsKey(name)
                    ? bodies.get(name)
                    : Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private static java.util.List<String> leftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
