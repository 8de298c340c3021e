package dev.atelier.cli.lm;

import picocli.CommandLine.Command;

/** {@code atelier lm ...}: check a Hugging Face causal-LM checkpoint with Atelier's Java forward. */
@Command(
        name = "lm",
        mixinStandardHelpOptions = true,
        description = "Run a Hugging Face causal LM (GPT-2, OPT, Llama) with Atelier's pure-Java forward pass.",
        subcommands = {LmEvalCommand.class, LmGenerateCommand.class, LmInitCommand.class, LmBenchCommand.class})
public final class LmGroup {}
