package dev.atelier.cli.zo;

import dev.atelier.zo.data.Gcide;
import dev.atelier.zo.data.WordNet;
import dev.atelier.zo.firstorder.BaseLm;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code atelier zo pretrain}: builds (or finds in the cache) the ZO workload's base LM. */
@Command(
        name = "pretrain",
        mixinStandardHelpOptions = true,
        description = {
            "Pretrain the small GPT-2 base LM on WordNet definitions (garment-task texts left out) with backprop +"
                    + " Adam, and cache it as a Hugging Face folder; prints the folder. A cached model is reused."
        })
public final class ZoPretrainCommand implements Callable<Integer> {
    @Option(names = "--wordnet", paramLabel = "DIR", description = "WordNet dict folder (default: ${DEFAULT-VALUE}).")
    Path wordnet = WordNet.DEFAULT_DIR;

    @Option(names = "--gcide", paramLabel = "DIR", description = "GCIDE dictd folder (default: ${DEFAULT-VALUE}).")
    Path gcide = Gcide.DEFAULT_DIR;

    @Option(names = "--cache", paramLabel = "DIR", description = "Cache folder (default: ~/.atelier/cache/zo).")
    Path cache = BaseLm.defaultCacheDir();

    @Option(names = "--steps", paramLabel = "N", description = "Adam steps (default: the documented default).")
    Integer steps;

    @Option(
            names = "--no-shipped",
            description = "Pretrain on this machine even when Atelier ships a base LM for these settings"
                    + " (a cached one is still reused: pass another --cache to train afresh).")
    boolean noShipped;

    @Override
    public Integer call() throws Exception {
        BaseLm.Settings s = steps == null ? BaseLm.Settings.DEFAULT : BaseLm.Settings.DEFAULT.withSteps(steps);
        BaseLm.Built b = BaseLm.getOrPretrain(wordnet, gcide, s, cache, System.err, !noShipped);
        System.out.printf(
                Locale.ROOT,
                "base LM %s (%s; %d rows, %.0f s of training, final loss %.3f)%n",
                b.dir(),
                b.cached() ? "cached" : "pretrained now",
                b.rows(),
                b.trainSeconds(),
                b.finalLoss());
        return 0;
    }
}
