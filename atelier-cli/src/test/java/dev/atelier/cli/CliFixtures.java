package dev.atelier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.ml.data.FashionMnistResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the CLI tests that run real commands share: the dataset and the run folder they write. Thread-safe. */
public final class CliFixtures {
    private static Path fashionMnist;

    private CliFixtures() {}

    /**
     * The Fashion-MNIST folder, found as the product finds it ({@code ATELIER_DATA},
     * {@code ~/.atelier/datasets/fashion-mnist}, the Debian package) and never downloaded: without it
     * the calling test fails with the resolver's message listing every place tried.
     */
    public static synchronized Path fashionMnist() {
        if (fashionMnist == null) {
            fashionMnist = FashionMnistResolver.builder()
                    .download(false)
                    .build()
                    .resolve()
                    .directory();
        }
        return fashionMnist;
    }

    /** {@code atelier ARGS --data <Fashion-MNIST> --runs-dir RUNS}: a command on the real data, writing under {@code runs}. */
    public static CliRun onFashionMnist(Path runs, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data", fashionMnist().toString(), "--runs-dir", runs.toString()));
        return CliRun.of(all.toArray(String[]::new));
    }

    /** The single run directory a command wrote under {@code runs} (asserts there is exactly one). */
    public static Path onlyRun(Path runs) throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(runs)) {
            dirs = s.toList();
        }
        assertThat(dirs).as("run directories in " + runs).hasSize(1);
        return dirs.get(0);
    }
}
