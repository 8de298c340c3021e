package dev.atelier.cli.sketch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.sketch.folder.DesignerFolder;
import dev.atelier.sketch.local.LocalEvaluation;
import dev.atelier.sketch.model.ModelDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier sketch eval --model MODEL_DIR --data DIR}: L1 and SSIM of the model's sketches
 * against her held-out sketches, next to the inverted-Sobel edge map and the mean-sketch baselines;
 * a table on stdout and JSON ({@code --json}, default {@code MODEL_DIR/eval.json}).
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = "Score a model on her held-out pairs (L1, SSIM) next to an edge-map and a mean-sketch baseline.")
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

    @Override
    public Integer call() throws Exception {
        ModelDir dir = ModelDir.existing(model);
        // her held-out images go onto the canvas the model was trained at
        DesignerFolder f = DesignerFolder.read(folder.data, folder.options().withCanvas(dir.canvas()));
        LocalEvaluation.Result r = LocalEvaluation.run(dir, f, all);
        System.out.println("scored " + r.pairs().size() + " pairs of " + folder.data
                + (all || !Files.isRegularFile(dir.heldOut())
                        ? " (every matched pair)"
                        : " (held out by sketch train)"));
        System.out.printf(Locale.ROOT, "%-12s %8s %8s%n", "", "L1 ↓", "SSIM ↑");
        r.scores().forEach((k, v) -> System.out.printf(Locale.ROOT, "%-12s %8.4f %8.4f%n", k, v.l1(), v.ssim()));
        if (r.meanInSample()) {
            System.out.println("note: mean_sketch is the mean of the scored sketches themselves (in-sample)");
        }
        Path out = json == null ? model.resolve("eval.json") : json;
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), r.toMap());
        System.out.println("wrote " + out);
        return 0;
    }
}
