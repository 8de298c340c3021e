package dev.atelier.cli.classifier;

import picocli.CommandLine.Command;

/** {@code atelier train ...}: centralized baselines. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a model centrally (baseline, no federation).",
        subcommands = {TrainCommand.class})
public final class TrainGroup {}
