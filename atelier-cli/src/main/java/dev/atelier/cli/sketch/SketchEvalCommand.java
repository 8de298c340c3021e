package dev.atelier.cli.sketch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.data.DataSplits;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.features.PublicFeatureNetwork;
import dev.atelier.sketch.eval.EvaluatorCache;
import dev.atelier.sketch.eval.EvaluatorSettings;
import dev.atelier.sketch.eval.SketchEvaluator;
import dev.atelier.sketch.folder.DesignerFolder;
import dev.atelier.sketch.local.LocalEvaluation;
import dev.atelier.sketch.model.ModelDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier sketch eval --model MODEL_DIR --data DIR}: L1, SSIM and KID (in the sketch
 * evaluator's feature space, with a bootstrap 95% interval) of the model's sketches against her
 * held-out sketches, next to the inverted-Sobel edge map and the mean-sketch baselines; a table on
 * stdout and JSON ({@code --json}, default {@code MODEL_DIR/eval.json}).
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = "Score a model on her held-out pairs (L1, SSIM, KID with a 95%% CI) next to an edge-map and a"
                + " mean-sketch baseline.")
public final class SketchEvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR", description = "The model directory.")
    Path model;

    @Mixin
    FolderArgs folder;

    @Option(
            names = "--all",
            description = "Score every matched pair of --data, not only those listed in MODEL_DIR/held-out.txt.")
    boolean all;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Where to write the JSON (default: MODEL_DIR/eval.json).")
    Path json;

    @Option(
            names = "--evaluator",
            paramLabel = "FILE",
            description = "The sketch evaluator for KID (safetensors as cached by the demo,"
                    + " ~/.atelier/cache/sketch-evaluator-*.safetensors); default: that cache, trained on"
                    + " Fashion-MNIST's public split when missing.")
    Path evaluator;

    @Option(
            names = "--fashion-mnist",
            paramLabel = "DIR",
            description = "Fashion-MNIST folder for training the default evaluator (default: the usual places).")
    String fashionMnist;

    @Option(names = "--no-kid", description = "Skip KID (no evaluator needed).")
    boolean noKid;

    @Override
    public Integer call() throws Exception {
        ModelDir dir = ModelDir.existing(model);
        // her held-out images go onto the canvas the model was trained at
        DesignerFolder f = DesignerFolder.read(folder.data, folder.options().withCanvas(dir.canvas()));
        LocalEvaluation.Result r;
        if (noKid) {
            r = LocalEvaluation.run(dir, f, all);
        } else {
            try (SketchEvaluator e = evaluator()) {
                r = LocalEvaluation.run(dir, f, all, e);
            }
        }
        System.out.println("scored " + r.pairs().size() + " pairs of " + folder.data
                + (all || !Files.isRegularFile(dir.heldOut())
                        ? " (every matched pair)"
                        : " (held out by sketch train)"));
        System.out.printf(Locale.ROOT, "%-12s %8s %8s %10s  %s%n", "", "L1 ↓", "SSIM ↑", "KID×10³ ↓", "KID 95% CI");
        r.scores()
                .forEach((k, v) -> System.out.printf(
                        Locale.ROOT,
                        "%-12s %8.4f %8.4f %10s  %s%n",
                        k,
                        v.l1(),
                        v.ssim(),
                        v.kid() == null
                                ? "-"
                                : String.format(
                                        Locale.ROOT, "%.2f", 1e3 * v.kid().kid()),
                        v.kid() == null
                                ? "-"
                                : String.format(
                                        Locale.ROOT,
                                        "[%.2f, %.2f]",
                                        1e3 * v.kid().low(),
                                        1e3 * v.kid().high())));
        if (r.meanInSample()) {
            System.out.println("note: mean_sketch is the mean of the scored sketches themselves (in-sample)");
        }
        if (r.scores().get("model").kid() == null && !noKid) {
            System.out.println("note: KID needs at least 2 scored pairs");
        }
        Path out = json == null ? model.resolve("eval.json") : json;
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), r.toMap());
        System.out.println("wrote " + out);
        return 0;
    }

    private SketchEvaluator evaluator() throws IOException {
        if (evaluator != null) {
            return SketchEvaluator.load(Safetensors.read(evaluator));
        }
        DataSplits splits = FashionMnist.load(fashionMnist == null ? null : Path.of(fashionMnist))
                .splits();
        return EvaluatorCache.getOrTrain(
                        splits.publicTrain(),
                        splits.test(),
                        EvaluatorSettings.defaults(),
                        PublicFeatureNetwork.defaultCacheDir())
                .open();
    }
}
