package dev.atelier.cli.zo;

import picocli.CommandLine.Command;

/** {@code atelier zo ...}: zeroth-order federated fine-tuning of causal LMs with seeds and scalars. */
@Command(
        name = "zo",
        mixinStandardHelpOptions = true,
        description = "Zeroth-order federated LM fine-tuning: only (seed, scalar) pairs leave a store.",
        subcommands = {ZoSimulateCommand.class, ZoDemoCommand.class, ZoPretrainCommand.class, ZoTaskCommand.class})
public final class ZoGroup {}
