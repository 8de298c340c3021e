package dev.atelier.sketch.eval;

import dev.atelier.ml.data.DataSplits;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.FashionMnistData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One evaluator trained on the bundled fixture per test JVM (in a fresh temporary cache), shared by
 * the test classes that need a real trained network.
 */
final class FixtureEvaluator {
    /** Public split of the 600 fixture training garments; the other 300 stand in for the private split. */
    static final int PUBLIC_SIZE = 300;

    static final EvaluatorSettings SETTINGS = EvaluatorSettings.quick();
    private static Path cacheDir;
    private static EvaluatorCache.Trained trained;

    private FixtureEvaluator() {}

    static DataSplits splits() {
        FashionMnistData f = FashionMnist.loadFixture();
        return DataSplits.of(f.train(), f.test(), PUBLIC_SIZE, 11L);
    }

    static synchronized Path cacheDir() {
        if (cacheDir == null) {
            try {
                cacheDir = Files.createTempDirectory("atelier-eval-test");
                Path dir = cacheDir;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cacheDir;
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    static synchronized EvaluatorCache.Trained trained() {
        if (trained == null) {
            DataSplits s = splits();
            try {
                long t0 = System.nanoTime();
                trained = EvaluatorCache.getOrTrain(s.publicTrain(), s.test(), SETTINGS, cacheDir());
                System.out.printf(
                        "fixture evaluator trained in %.1f s: %s%n",
                        (System.nanoTime() - t0) / 1e9, trained.accuracy());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return trained;
    }
}
