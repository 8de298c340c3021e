package dev.atelier.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShippedFilesTest {
    private static final String SAMPLE = "/dev/atelier/core/util/shipped-sample.txt";

    @Test
    void installsAShippedFileWholeAndNothingForOneThatDoesNotShip(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("cache/sub/sample.txt");
        assertThat(ShippedFiles.ships(ShippedFilesTest.class, SAMPLE)).isTrue();
        assertThat(ShippedFiles.install(ShippedFilesTest.class, SAMPLE, target)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("shipped bytes\n");
        assertThat(target.getParent().toFile().list()).containsExactly("sample.txt"); // no temporary file left

        Files.writeString(target, "stale");
        assertThat(ShippedFiles.install(ShippedFilesTest.class, SAMPLE, target)).isTrue();
        assertThat(Files.readString(target)).isEqualTo("shipped bytes\n");

        Path absent = dir.resolve("absent.bin");
        assertThat(ShippedFiles.ships(ShippedFilesTest.class, "/dev/atelier/core/util/no-such-file"))
                .isFalse();
        assertThat(ShippedFiles.install(ShippedFilesTest.class, "/dev/atelier/core/util/no-such-file", absent))
                .isFalse();
        assertThat(absent).doesNotExist();
    }
}
