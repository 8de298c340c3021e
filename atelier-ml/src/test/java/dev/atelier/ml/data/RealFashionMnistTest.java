package dev.atelier.ml.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.testing.Prerequisite;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package {@code dataset-fashion-mnist} itself: its files' checksums and the resolver's
 * system rule. .ci/run installs it, so without it this fails under CI and is skipped elsewhere
 * ({@link Prerequisite}; data found in {@code ATELIER_DATA} or the user cache does not count here).
 */
class RealFashionMnistTest {

    private static final Path SYSTEM = FashionMnistResolver.SYSTEM_DIR;

    @BeforeAll
    static void requireRealData() {
        Prerequisite.require(
                FashionMnistResolver.missing(SYSTEM).isEmpty(),
                "Fashion-MNIST not installed in " + SYSTEM + " (apt-get install dataset-fashion-mnist)");
    }

    @Test
    void debianFilesHaveTheRecordedChecksums() throws Exception {
        for (FashionMnistFile f : FashionMnistFile.values()) {
            Path file = SYSTEM.resolve(f.fileName());
            assertThat(Checksums.sha256(file)).as(f.fileName()).isEqualTo(f.debianGzSha256());
            assertThat(Checksums.sha256OfGzipContent(file)).as(f.fileName()).isEqualTo(f.contentSha256());
        }
    }

    @Test
    void resolvesTheSystemFolderAndLoadsTheVerifiedData(@TempDir Path home) {
        FashionMnistResolver resolver = FashionMnistResolver.builder()
                .environment(Map.of())
                .userHome(home)
                .download(false)
                .build();

        FashionMnistData data = FashionMnist.load(resolver);

        assertThat(data.source()).isEqualTo("resolved Fashion-MNIST from " + SYSTEM + " (debian package)");
        assertThat(data.train().size()).isEqualTo(60_000);
        assertThat(data.test().size()).isEqualTo(10_000);
        assertThat(data.train().labelCounts()).containsOnly(6_000);
        assertThat(data.test().labelCounts()).containsOnly(1_000);
        assertThat(data.train().pixel(0, 14, 14)).isEqualTo(217);

        DataSplits splits = data.splits();
        assertThat(splits.publicTrain().size()).isEqualTo(10_000);
        assertThat(splits.privateTrain().size()).isEqualTo(50_000);
        assertThat(splits.test().size()).isEqualTo(10_000);
    }
}
