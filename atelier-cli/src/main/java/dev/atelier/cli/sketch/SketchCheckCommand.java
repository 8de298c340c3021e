package dev.atelier.cli.sketch;

import dev.atelier.ml.data.HoldOut;
import dev.atelier.sketch.folder.Canvas;
import dev.atelier.sketch.folder.DesignerFolder;
import dev.atelier.sketch.folder.Pairing;
import dev.atelier.sketch.folder.Problem;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atelier sketch check --data DIR [--canvas N]}: validates a designer's folder offline and prints counts,
 * pairing, sizes, polarity guesses and every problem with its file; exit code 1 when a problem is
 * an error (training would refuse the folder), 0 otherwise.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Validate a designer's folder offline: counts, pairing, sizes, polarity, every problem by file.")
public final class SketchCheckCommand implements Callable<Integer> {
    @Mixin
    FolderArgs folder;

    @Option(
            names = "--canvas",
            defaultValue = "32",
            paramLabel = "N",
            description = "Check against the canvas of this side in px, as `sketch train --canvas N` and a"
                    + " federation's workload_settings.canvas use it: how images are scaled, which are scaled up"
                    + " (default: ${DEFAULT-VALUE}).")
    int canvas;

    @Override
    public Integer call() {
        DesignerFolder f = DesignerFolder.read(folder.data, folder.options().withCanvas(canvas));
        Pairing p = f.pairing();
        System.out.println("folder " + f.dir());
        System.out.println("  canvas    " + canvas + "x" + canvas + " px: images scaled to a longer side of "
                + Canvas.content(canvas) + " px and centred (an image of exactly " + canvas + "x" + canvas
                + " is used as is)");
        System.out.println(
                "  garments  " + f.garments().size() + " readable in images/   sizes: " + sizes(f.garments()));
        System.out.println(
                "  sketches  " + f.sketches().size() + " readable in sketches/ sizes: " + sizes(f.sketches()));
        if (folder.unpaired) {
            System.out.println("  unpaired  every garment and sketch used, sampled independently (--unpaired)");
        } else {
            int n = p.paired().size();
            int held = n >= HoldOut.EVERY ? n / HoldOut.EVERY : 0;
            System.out.println("  pairs     " + n + " matched by name (at least " + p.threshold() + " needed); "
                    + p.garmentsOnly().size() + " garments and "
                    + p.sketchesOnly().size() + " sketches unmatched");
            if (p.unsketched()) {
                System.out.println("  unsketched " + p.unsketchedGarments().size()
                        + " garments without a sketch train too (--unsketched)");
            }
            System.out.println("  sketch train holds out " + held + " of them for `sketch eval` (every " + HoldOut.EVERY
                    + "th by name), trains on " + (n - held));
        }
        long errors = f.errors().size();
        long warnings = f.problems().size() - errors;
        for (Problem problem : f.problems()) {
            System.out.println(problem);
        }
        System.out.println(
                errors == 0
                        ? "ok: the folder can be trained on"
                                + (warnings > 0 ? " (" + warnings + " warnings above)" : "")
                        : errors + " errors, " + warnings + " warnings: fix the errors before `atelier sketch train`");
        return errors == 0 ? 0 : 1;
    }

    private static String sizes(Map<String, DesignerFolder.Image> images) {
        Map<String, Long> bySize = new TreeMap<>(images.values().stream()
                .collect(Collectors.groupingBy(i -> i.read().source().toString(), Collectors.counting())));
        return bySize.isEmpty()
                ? "-"
                : bySize.entrySet().stream()
                        .map(e -> e.getKey() + " x" + e.getValue())
                        .collect(Collectors.joining(", "));
    }
}
