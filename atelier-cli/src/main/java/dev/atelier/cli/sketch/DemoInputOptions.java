package dev.atelier.cli.sketch;

import dev.atelier.ml.features.PublicFeatureNetwork;
import dev.atelier.sketch.demo.DemoSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What the FedGAI demo and the leakage audit read: {@code --data} (Fashion-MNIST), {@code
 * --designers} (profiles) and {@code --cache-dir} (public feature network and evaluator).
 */
public final class DemoInputOptions {
    @Option(names = "--data", paramLabel = "DIR", description = "Folder with the four Fashion-MNIST .gz files.")
    Path data;

    @Option(
            names = "--designers",
            paramLabel = "FILE",
            description = "Designer profiles JSON (default: the built-in eight; see docs/styles.md).")
    Path designers;

    @Option(
            names = "--cache-dir",
            description = "Cache for the public feature network and evaluator (default: ~/.atelier/cache).")
    Path cacheDir;

    /** The options as the demo's inputs, the cache defaulting to ~/.atelier/cache. */
    public DemoSettings.Inputs inputs() {
        return new DemoSettings.Inputs(
                data, designers, cacheDir != null ? cacheDir : PublicFeatureNetwork.defaultCacheDir());
    }
}
