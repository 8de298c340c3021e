package dev.atelier.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path tmp;

    @Test
    void deletesATreeAFileAndToleratesAMissingPath() throws Exception {
        Path tree = tmp.resolve("a");
        Files.createDirectories(tree.resolve("b/c"));
        Files.writeString(tree.resolve("b/c/f.txt"), "x");
        Files.writeString(tmp.resolve("keep.txt"), "y");
        FileTrees.delete(tree);
        assertThat(tree).doesNotExist();
        assertThat(tmp.resolve("keep.txt")).exists();
        FileTrees.delete(tmp.resolve("keep.txt"));
        assertThat(tmp.resolve("keep.txt")).doesNotExist();
        FileTrees.delete(tmp.resolve("never-existed"));
    }
}
