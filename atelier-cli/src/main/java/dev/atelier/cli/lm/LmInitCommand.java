package dev.atelier.cli.lm;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.RandomCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code atelier lm init}: a randomly initialised checkpoint of a published architecture. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = "Write a randomly initialised Hugging Face folder (config.json + F32 model.safetensors) with"
                + " the sizes of a published model, for benchmarks and memory measurements.")
public final class LmInitCommand implements Callable<Integer> {
    @Option(
            names = "--preset",
            required = true,
            description = "gpt2-124m | opt-125m | smollm-135m (Llama family, 9 heads on 3 KV heads).")
    String preset;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "New or empty directory.")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Weight seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        RandomCheckpoint.Preset p = RandomCheckpoint.Preset.of(preset);
        if (Files.isDirectory(out)) {
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + out + " is not empty");
                }
            }
        }
        RandomCheckpoint.write(out, p, seed);
        System.out.println(
                "wrote " + out + " (" + p.id + ", " + CausalLm.load(out).parameterCount() + " parameters)");
        return 0;
    }
}
