package dev.atelier.cli.classifier;

import picocli.CommandLine.Command;

/** {@code atelier simulate ...}: federations over virtual nodes in one JVM. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Run a federation over virtual nodes in this JVM.",
        subcommands = {SimulateCommand.class})
public final class SimulateGroup {}
