package dev.atelier.zo.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.params.Tensor;
import dev.atelier.zo.model.CausalLm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Forward throughput (tokens/s of a full-sequence causal forward, LM head included) of the Java
 * engine and, for comparison, of the same checkpoint in PyTorch: {@code lm_forward.py} (a
 * resource beside this class) re-implements the three families in plain PyTorch, reads the same
 * folder, and refuses to time unless its logits match the Java logits on the same ids within a
 * tolerance. The two sides run one after the other with the same thread count. Not thread-safe.
 */
public final class ForwardBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ForwardBench() {}

    /** Wall-clock seconds of each timed forward over {@code tokens} tokens. */
    public record Timing(int tokens, List<Double> seconds) {
        public Timing {
            seconds = List.copyOf(seconds);
        }

        /** Tokens per second of the median run. */
        public double tokensPerSecond() {
            double[] s =
                    seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return tokens / s[s.length / 2];
        }
    }

    /** PyTorch's side: timing, agreement with Java's logits, its torch version. */
    public record TorchResult(Timing timing, double maxAbsDiff, String torchVersion) {}

    /** {@code tokens} pseudo-random ids in [0, vocab) for a seed. */
    public static int[] ids(int vocab, int tokens, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return r.ints(tokens, 0, vocab).toArray();
    }

    /** Times {@code runs} full forwards of {@code ids} after {@code warmup} untimed ones. */
    public static Timing time(CausalLm lm, int[] ids, int warmup, int runs) {
        for (int i = 0; i < warmup; i++) {
            lm.logits(ids);
        }
        List<Double> secs = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            lm.logits(ids);
            secs.add((System.nanoTime() - t0) / 1e9);
        }
        return new Timing(ids.length, secs);
    }

    /** Writes {@code input_ids} (I32 [1, n]) and Java's {@code logits} (F32 [1, n, vocab]). */
    public static void writeCheck(CausalLm lm, int[] ids, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(ids.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int id : ids) {
            b.putInt(id);
        }
        int vocab = lm.config().dims().vocabSize();
        Safetensors.write(
                ParamSet.builder()
                        .put("input_ids", Tensor.of(DType.I32, new long[] {1, ids.length}, b.flip()))
                        .put("logits", Tensor.f32(new long[] {1, ids.length, vocab}, lm.logits(ids)))
                        .build(),
                file);
    }

    /**
     * Runs {@code python lm_forward.py} on {@code modelDir} against {@code checkFile}. Throws with
     * the script's message when it refuses (logits differ: exit 3) or fails.
     */
    public static TorchResult torch(
            String python, Path modelDir, Path checkFile, double tolerance, int threads, int warmup, int runs)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile("lm_forward", ".py");
        try {
            try (InputStream in = ForwardBench.class.getResourceAsStream("lm_forward.py")) {
                Files.write(script, in.readAllBytes());
            }
            List<String> cmd = List.of(
                    python,
                    script.toString(),
                    "--model",
                    modelDir.toString(),
                    "--check",
                    checkFile.toString(),
                    "--tolerance",
                    Double.toString(tolerance),
                    "--threads",
                    Integer.toString(threads),
                    "--warmup",
                    Integer.toString(warmup),
                    "--runs",
                    Integer.toString(runs));
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int exit = p.waitFor();
            String last = out.lines().reduce((a, b) -> b).orElse("");
            if (exit == 3) {
                throw new IllegalStateException(
                        "PyTorch's logits differ from Java's beyond " + tolerance + ": " + last);
            }
            if (exit != 0) {
                throw new IllegalStateException(
                        python + " lm_forward.py failed (exit " + exit + ")" + (last.isEmpty() ? "" : ": " + last));
            }
            JsonNode j = JSON.readTree(last);
            List<Double> secs = new ArrayList<>();
            j.get("seconds").forEach(s -> secs.add(s.asDouble()));
            return new TorchResult(
                    new Timing(j.get("tokens").asInt(), secs),
                    j.get("max_abs_diff").asDouble(),
                    j.get("torch").asText());
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** Whether {@code python} can import torch. */
    public static boolean hasTorch(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
