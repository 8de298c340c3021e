package dev.atelier.ml.data;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a folder holding the four Fashion-MNIST {@code .gz} files, downloading them if necessary.
 *
 * <p>Search order:
 *
 * <ol>
 *   <li>the explicit {@code --data DIR}, if given: it must hold the files, otherwise resolution fails
 *       at once (a folder the user named is never silently ignored);
 *   <li>the environment variable {@code ATELIER_DATA};
 *   <li>the user cache {@code ~/.atelier/datasets/fashion-mnist};
 *   <li>the system folder {@code /usr/share/datasets/fashion-mnist} (Debian package {@code
 *       dataset-fashion-mnist});
 *   <li>a download from {@link FashionMnistDownloader#OFFICIAL_BASE} into the user cache.
 * </ol>
 *
 * For {@code --data} and {@code ATELIER_DATA}, either the folder itself or its {@code fashion-mnist}
 * subfolder may hold the files. If everything fails, one {@link DataException} lists what was tried and
 * both remedies. Every location, the environment and the download URL are injectable via {@link
 * #builder()} so tests never touch the real home folder or network.
 *
 * <p>Thread-safety: immutable.
 */
public final class FashionMnistResolver {

    /** Environment variable naming a data folder. */
    public static final String ENV_VAR = "ATELIER_DATA";

    /** Folder of the Debian package {@code dataset-fashion-mnist}. */
    public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnistResolver.class);

    private final Path explicitDir;
    private final Map<String, String> environment;
    private final Path userHome;
    private final Path systemDir;
    private final boolean downloadEnabled;
    private final FashionMnistDownloader downloader;

    private FashionMnistResolver(Builder b) {
        this.explicitDir = b.explicitDir;
        this.environment = Map.copyOf(b.environment);
        this.userHome = b.userHome;
        this.systemDir = b.systemDir;
        this.downloadEnabled = b.downloadEnabled;
        this.downloader =
                new FashionMnistDownloader(b.downloadBase, b.connectTimeout, b.readTimeout, b.expectedContentSha256);
    }

    /** The default resolver with an optional {@code --data} folder (may be null). */
    public static FashionMnistResolver withDataDir(Path explicitDir) {
        return builder().explicitDir(explicitDir).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The user cache folder, {@code <home>/.atelier/datasets/fashion-mnist}. */
    public Path userCacheDir() {
        return userHome.resolve(".atelier").resolve("datasets").resolve("fashion-mnist");
    }

    /**
     * Resolves the data folder, downloading into the user cache as a last resort.
     *
     * @throws DataException with a one-line message naming what was tried and how to fix it
     */
    public ResolvedSource resolve() {
        if (explicitDir != null) {
            Path dir = completeIn(explicitDir);
            if (dir == null) {
                throw new DataException("--data " + explicitDir + " does not hold the Fashion-MNIST files ("
                        + missingDescription(explicitDir) + "); point --data at a folder with "
                        + fileList());
            }
            return found(dir, ResolvedSource.Kind.EXPLICIT);
        }
        List<String> tried = new ArrayList<>();
        String env = environment.get(ENV_VAR);
        if (env != null && !env.isBlank()) {
            Path envDir = Path.of(env.trim());
            Path dir = completeIn(envDir);
            if (dir != null) {
                return found(dir, ResolvedSource.Kind.ENVIRONMENT);
            }
            LOG.warn("{}={} does not hold the Fashion-MNIST files, looking elsewhere", ENV_VAR, envDir);
            tried.add(ENV_VAR + "=" + envDir + " (" + missingDescription(envDir) + ")");
        } else {
            tried.add(ENV_VAR + " (not set)");
        }
        Path cache = userCacheDir();
        if (missing(cache).isEmpty()) {
            return found(cache, ResolvedSource.Kind.USER_CACHE);
        }
        tried.add(cache + " (" + missingDescription(cache) + ")");
        if (missing(systemDir).isEmpty()) {
            return found(systemDir, ResolvedSource.Kind.SYSTEM);
        }
        tried.add(systemDir + " (" + missingDescription(systemDir) + ")");
        String downloadOutcome;
        if (downloadEnabled) {
            try {
                downloader.downloadMissing(cache);
                return found(cache, ResolvedSource.Kind.DOWNLOADED);
            } catch (DataException e) {
                downloadOutcome = e.getMessage();
            }
        } else {
            downloadOutcome = "download disabled";
        }
        throw new DataException("Fashion-MNIST not found (looked in " + String.join(", ", tried)
                + "; " + downloadOutcome.replaceAll("\\s+", " ") + "). Install it with "
                + "`sudo apt-get install dataset-fashion-mnist`, or pass --data DIR pointing at a folder "
                + "with " + fileList());
    }

    /** The files of the release absent from {@code dir}, in release order (empty if complete). */
    public static List<FashionMnistFile> missing(Path dir) {
        List<FashionMnistFile> out = new ArrayList<>();
        for (FashionMnistFile f : FashionMnistFile.values()) {
            if (!Files.isRegularFile(dir.resolve(f.fileName()))) {
                out.add(f);
            }
        }
        return out;
    }

    private static ResolvedSource found(Path dir, ResolvedSource.Kind kind) {
        ResolvedSource source = new ResolvedSource(dir, kind);
        LOG.info(source.describe());
        return source;
    }

    /** {@code dir} or {@code dir/fashion-mnist}, whichever holds all four files, else null. */
    private static Path completeIn(Path dir) {
        if (missing(dir).isEmpty()) {
            return dir;
        }
        Path nested = dir.resolve("fashion-mnist");
        return missing(nested).isEmpty() ? nested : null;
    }

    private static String missingDescription(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "no such folder";
        }
        List<FashionMnistFile> absent = missing(dir);
        return "missing " + absent.stream().map(FashionMnistFile::fileName).collect(Collectors.joining(", "));
    }

    private static String fileList() {
        return "the four .gz files "
                + Arrays.stream(FashionMnistFile.values())
                        .map(FashionMnistFile::fileName)
                        .collect(Collectors.joining(", "));
    }

    /** Configures a {@link FashionMnistResolver}; every setting has a production default. */
    public static final class Builder {
        private Path explicitDir;
        private Map<String, String> environment = System.getenv();
        private Path userHome = Path.of(System.getProperty("user.home"));
        private Path systemDir = SYSTEM_DIR;
        private boolean downloadEnabled = true;
        private URI downloadBase = FashionMnistDownloader.OFFICIAL_BASE;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private final Map<FashionMnistFile, String> expectedContentSha256 = new EnumMap<>(FashionMnistFile.class);

        private Builder() {
            for (FashionMnistFile f : FashionMnistFile.values()) {
                expectedContentSha256.put(f, f.contentSha256());
            }
        }

        /** The {@code --data} folder; null means not given. */
        public Builder explicitDir(Path dir) {
            this.explicitDir = dir;
            return this;
        }

        /** Environment to read {@code ATELIER_DATA} from (default: the process environment). */
        public Builder environment(Map<String, String> env) {
            this.environment = Objects.requireNonNull(env, "env");
            return this;
        }

        /** Home folder holding {@code .atelier/} (default: {@code user.home}). */
        public Builder userHome(Path home) {
            this.userHome = Objects.requireNonNull(home, "home");
            return this;
        }

        /** System data folder (default {@code /usr/share/datasets/fashion-mnist}). */
        public Builder systemDir(Path dir) {
            this.systemDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Whether to download as a last resort (default true). */
        public Builder download(boolean enabled) {
            this.downloadEnabled = enabled;
            return this;
        }

        /** Folder URL to download from (default: the official Zalando location). */
        public Builder downloadBase(URI base) {
            this.downloadBase = Objects.requireNonNull(base, "base");
            return this;
        }

        /** Connect and read timeouts of the download (default 10 s and 30 s). */
        public Builder timeouts(Duration connect, Duration read) {
            this.connectTimeout = Objects.requireNonNull(connect, "connect");
            this.readTimeout = Objects.requireNonNull(read, "read");
            return this;
        }

        /** Expected content checksum of a downloaded file; tests use this to serve non-official files. */
        Builder expectedContentSha256(FashionMnistFile file, String sha256) {
            expectedContentSha256.put(file, sha256);
            return this;
        }

        public FashionMnistResolver build() {
            return new FashionMnistResolver(this);
        }
    }
}
