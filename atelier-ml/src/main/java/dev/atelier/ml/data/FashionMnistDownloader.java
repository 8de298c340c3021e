package dev.atelier.ml.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads Fashion-MNIST files over HTTP into a folder, verifying each before it becomes visible.
 *
 * <p>Each file is streamed to a hidden {@code .part} temp file in the target folder, its decompressed
 * content is checked against the expected SHA-256, and only then is it atomically renamed to its final
 * name; on any failure the temp file is deleted, so the folder never holds a partial or corrupt file.
 * Connect and read (per-read inactivity) timeouts bound every request, and a response larger than
 * {@value #MAX_BYTES} bytes is refused.
 *
 * <p>Thread-safety: immutable, but two downloads into the same folder at once would race on the final
 * rename (last one wins; both files are verified, so the result is still valid).
 */
public final class FashionMnistDownloader {

    /** Official Fashion-MNIST download location (Zalando Research). */
    public static final URI OFFICIAL_BASE = URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

    /** Upper bound on one download; the largest official file is about 26 MB. */
    static final long MAX_BYTES = 64L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnistDownloader.class);

    private final URI base;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Map<FashionMnistFile, String> expectedContentSha256;

    /**
     * @param base folder URL the four file names are resolved against
     * @param expectedContentSha256 SHA-256 of each file's decompressed content
     */
    public FashionMnistDownloader(
            URI base,
            Duration connectTimeout,
            Duration readTimeout,
            Map<FashionMnistFile, String> expectedContentSha256) {
        String b = Objects.requireNonNull(base, "base").toString();
        this.base = URI.create(b.endsWith("/") ? b : b + "/");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
        this.expectedContentSha256 = Map.copyOf(expectedContentSha256);
    }

    /** The URL a file is fetched from. */
    public URI urlOf(FashionMnistFile file) {
        return base.resolve(file.fileName());
    }

    /**
     * Downloads every file missing from {@code dir} (creating it if needed); stops at the first failure.
     *
     * @throws DataException naming the file, URL and reason
     */
    public void downloadMissing(Path dir) {
        for (FashionMnistFile file : FashionMnistFile.values()) {
            if (!Files.isRegularFile(dir.resolve(file.fileName()))) {
                download(file, dir);
            }
        }
    }

    /** Downloads one file into {@code dir}, replacing any existing file only after verification. */
    public void download(FashionMnistFile file, Path dir) {
        URI url = urlOf(file);
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.fileName() + ".", ".part");
            LOG.info("downloading {} into {}", url, dir);
            long bytes = fetch(url, tmp);
            verify(file, url, tmp);
            moveIntoPlace(tmp, dir.resolve(file.fileName()));
            LOG.info("downloaded and verified {} ({} bytes)", file.fileName(), bytes);
        } catch (IOException e) {
            throw new DataException("download of " + url + " failed: " + DataException.oneLine(e), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private long fetch(URI url, Path into) throws IOException {
        URLConnection connection = url.toURL().openConnection();
        connection.setConnectTimeout(Math.toIntExact(connectTimeout.toMillis()));
        connection.setReadTimeout(Math.toIntExact(readTimeout.toMillis()));
        try {
            if (connection instanceof HttpURLConnection http) {
                int code = http.getResponseCode();
                if (code != HttpURLConnection.HTTP_OK) {
                    throw new IOException("HTTP " + code + " " + Objects.toString(http.getResponseMessage(), ""));
                }
            }
            long copied = 0;
            try (InputStream in = connection.getInputStream();
                    OutputStream out = Files.newOutputStream(into)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    copied += n;
                    if (copied > MAX_BYTES) {
                        throw new IOException("response exceeds " + MAX_BYTES + " bytes, refusing it");
                    }
                    out.write(buf, 0, n);
                }
            }
            return copied;
        } finally {
            if (connection instanceof HttpURLConnection http) {
                http.disconnect();
            }
        }
    }

    private void verify(FashionMnistFile file, URI url, Path tmp) {
        String expected = expectedContentSha256.get(file);
        if (expected == null) {
            throw new IllegalStateException("no expected checksum configured for " + file.fileName());
        }
        String actual;
        try {
            actual = Checksums.sha256OfGzipContent(tmp);
        } catch (IOException e) {
            throw new DataException(
                    "download of " + url + " is not a valid gzip file (" + DataException.oneLine(e) + "), discarded it",
                    e);
        }
        if (!actual.equals(expected)) {
            throw new DataException("download of " + url + " has the wrong checksum (content SHA-256 " + actual
                    + ", expected " + expected + "), discarded it");
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // same folder, so this only happens on unusual file systems; a plain rename is the best left
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            LOG.warn("could not delete temporary download {}: {}", tmp, e.getMessage());
        }
    }
}
