package dev.atelier.cli.sketch;

import dev.atelier.sketch.folder.FolderOptions;
import dev.atelier.sketch.folder.Pairing;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The data-folder options {@code sketch check} and {@code sketch train} share (a picocli mixin). */
public final class FolderArgs {
    @Option(
            names = "--data",
            required = true,
            paramLabel = "DIR",
            description = "The designer's folder: DIR/images/ (garments) and DIR/sketches/ (her drawings),"
                    + " PNG or JPEG of any size, a garment and its sketch sharing a file name.")
    Path data;

    @Option(
            names = "--invert",
            description = "The garments are dark on a light ground (photos); the models expect light on black.")
    boolean invert;

    @Option(
            names = "--unpaired",
            description = "Train on every garment and sketch, sampled independently, instead of name-matched pairs.")
    boolean unpaired;

    @Option(
            names = "--unsketched",
            description = "Also train on the garments that have no sketch: the generator learns her style on them"
                    + " from the terms that need no pair (docs/designers.md); --min-paired then counts sketches only.")
    boolean unsketched;

    @Option(
            names = "--min-paired",
            defaultValue = "" + Pairing.DEFAULT_MIN_PAIRED_FRACTION,
            paramLabel = "FRACTION",
            description = "Fewer name matches than this share of the larger folder is an error"
                    + " (default: ${DEFAULT-VALUE}).")
    double minPaired;

    FolderOptions options() {
        return new FolderOptions(invert, unpaired, minPaired).withUnsketched(unsketched);
    }
}
