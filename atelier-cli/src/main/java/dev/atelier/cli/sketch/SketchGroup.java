package dev.atelier.cli.sketch;

import picocli.CommandLine.Command;

/** {@code atelier sketch ...}: a designer's own workflow on her folder, no coordinator needed. */
@Command(
        name = "sketch",
        mixinStandardHelpOptions = true,
        description = "Check a designer's folder, train a sketch model on it alone, evaluate it (docs/designers.md).",
        subcommands = {
            SketchCheckCommand.class,
            SketchTrainCommand.class,
            SketchEvalCommand.class,
            SketchDistillCommand.class
        })
public final class SketchGroup {}
