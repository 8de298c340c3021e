package dev.atelier.cli.zo;

import dev.atelier.zo.data.Gcide;
import dev.atelier.zo.data.WordNet;
import dev.atelier.zo.firstorder.BaseLm;
import dev.atelier.zo.task.GarmentTask;
import dev.atelier.zo.task.TextTask;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options {@code zo task} and {@code zo simulate} share for the built-in task: where WordNet
 * and GCIDE are, and the Dirichlet concentration of the store split; plus loading the task and
 * the base LM (pretrained into the cache on first use) from them.
 */
final class ZoDataOptions {
    @Option(names = "--wordnet", paramLabel = "DIR", description = "WordNet dict folder (default: ${DEFAULT-VALUE}).")
    Path wordnet = WordNet.DEFAULT_DIR;

    @Option(names = "--gcide", paramLabel = "DIR", description = "GCIDE dictd folder (default: ${DEFAULT-VALUE}).")
    Path gcide = Gcide.DEFAULT_DIR;

    @Option(
            names = "--alpha",
            paramLabel = "A",
            description = "Dirichlet concentration of the task's store split (default: ${DEFAULT-VALUE}).")
    double alpha = 0.5;

    /** The built-in garment task and what its rules used and dropped. */
    GarmentTask.Loaded loaded() throws IOException {
        return GarmentTask.load(wordnet, gcide);
    }

    /** The built-in garment task. */
    TextTask task() throws IOException {
        return loaded().task();
    }

    /** {@code model} when given, else the cached base LM (pretrained now if missing). */
    Path modelOrBase(Path model) throws IOException {
        return model != null
                ? model
                : BaseLm.getOrPretrain(wordnet, gcide, BaseLm.Settings.DEFAULT, BaseLm.defaultCacheDir(), System.err)
                        .dir();
    }
}
