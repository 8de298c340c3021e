package dev.atelier.cli.lm;

import dev.atelier.zo.eval.ForwardBench;
import dev.atelier.zo.model.CausalLm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code atelier lm bench}: forward tokens/s in Java and in PyTorch on the same checkpoint. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Time a full-sequence forward (LM head included) in Java, then the same checkpoint in PyTorch"
                + " (Debian python3-torch), which must first reproduce Java's logits; prints tokens/s and the ratio.")
public final class LmBenchCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face model folder.")
    Path model;

    @Option(names = "--tokens", defaultValue = "128", description = "Sequence length (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed forwards (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--runs",
            defaultValue = "5",
            description = "Timed forwards; the median counts (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
            names = "--threads",
            description = "Threads on both sides (default: -Datelier.zo.threads, else the number of cores).")
    Integer threads;

    @Option(
            names = "--python",
            defaultValue = "/usr/bin/python3",
            description = "Python with torch (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--no-python", description = "Time Java only.")
    boolean noPython;

    @Option(
            names = "--tolerance",
            defaultValue = "1e-3",
            description = "Max abs logit difference PyTorch may show before timing (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Override
    public Integer call() throws Exception {
        if (tokens < 1 || warmup < 0 || runs < 1 || runs > 1000 || (threads != null && threads < 1)) {
            throw new IllegalArgumentException(
                    "need --tokens >= 1, --warmup >= 0, --runs in [1, 1000], --threads >= 1");
        }
        if (threads != null) {
            System.setProperty("atelier.zo.threads", threads.toString()); // read once, at the first forward
        }
        CausalLm lm = CausalLm.load(model);
        int[] ids = ForwardBench.ids(lm.config().dims().vocabSize(), tokens, 1);
        if (tokens > lm.config().dims().maxPositions()) {
            throw new IllegalArgumentException("--tokens " + tokens + " exceeds the model's "
                    + lm.config().dims().maxPositions() + " positions");
        }
        int used = CausalLm.threads();
        ForwardBench.Timing java = ForwardBench.time(lm, ids, warmup, runs);
        System.out.printf(
                Locale.ROOT,
                "model %s: %s, %d parameters, %d tokens, %d thread(s)%n",
                model,
                lm.config().family().modelType(),
                lm.parameterCount(),
                tokens,
                used);
        System.out.printf(Locale.ROOT, "java     %10.1f tokens/s  %s%n", java.tokensPerSecond(), java.seconds());
        if (noPython) {
            return 0;
        }
        if (!ForwardBench.hasTorch(python)) {
            System.out.println("PyTorch side skipped: " + python + " cannot import torch"
                    + " (Debian: apt-get install -y python3-torch, or --python PATH)");
            return 0;
        }
        Path check = Files.createTempFile("lm-bench-check", ".safetensors");
        try {
            ForwardBench.writeCheck(lm, ids, check);
            ForwardBench.TorchResult torch = ForwardBench.torch(python, model, check, tolerance, used, warmup, runs);
            System.out.printf(
                    Locale.ROOT,
                    "pytorch  %10.1f tokens/s  %s (torch %s, max |logit diff| vs java %.2g)%n",
                    torch.timing().tokensPerSecond(),
                    torch.timing().seconds(),
                    torch.torchVersion(),
                    torch.maxAbsDiff());
            System.out.printf(
                    Locale.ROOT,
                    "java / pytorch throughput: %.2f%n",
                    java.tokensPerSecond() / torch.timing().tokensPerSecond());
        } finally {
            Files.deleteIfExists(check);
        }
        return 0;
    }
}
