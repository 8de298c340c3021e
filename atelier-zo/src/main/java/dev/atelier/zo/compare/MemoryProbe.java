package dev.atelier.zo.compare;

import dev.atelier.zo.memory.ChildJvm;
import dev.atelier.zo.memory.ClientJob;
import dev.atelier.zo.memory.ClientMode;
import dev.atelier.zo.memory.ProbeResult;
import dev.atelier.zo.model.HfConfigReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A client's peak memory for the comparison table, by the memory protocol: each client mode in
 * its own child JVM, peak RSS (VmHWM) minus that JVM's idle RSS after its engine is loaded. The
 * ZO client is h23's {@link dev.atelier.zo.memory.ClientProbe} (FULL mode, every block active);
 * the first-order client is {@link FirstOrderProbe} (DJL backprop + Adam). Both use the same
 * model, batch rows, sequence length and {@link ChildJvm#GC_FLAGS}. {@link #OFF} measures nothing.
 * Thread-safe.
 */
public interface MemoryProbe {
    /** Bytes (−1 when not measured) and how they were obtained. */
    record Peak(long bytes, String source) {}

    Peak zo(Path modelDir, int rows, int seqLen) throws Exception;

    Peak firstOrder(Path modelDir, int rows, int seqLen) throws Exception;

    MemoryProbe OFF = new MemoryProbe() {
        @Override
        public Peak zo(Path modelDir, int rows, int seqLen) {
            return new Peak(-1, "not measured");
        }

        @Override
        public Peak firstOrder(Path modelDir, int rows, int seqLen) {
            return new Peak(-1, "not measured");
        }
    };

    /** Child JVMs of at most {@code maxHeapBytes} heap, {@code steps} steps each. */
    static MemoryProbe childJvm(long maxHeapBytes, int steps) {
        return new MemoryProbe() {
            @Override
            public Peak zo(Path modelDir, int rows, int seqLen) throws Exception {
                int layers = HfConfigReader.read(modelDir.resolve("config.json"))
                        .dims()
                        .numLayers();
                TreeSet<Integer> all = new TreeSet<>();
                IntStream.range(0, layers).forEach(all::add);
                ProbeResult r = new ChildJvm(maxHeapBytes, 600)
                        .run(new ClientJob(modelDir, all, rows, seqLen, steps, ClientMode.FULL, 1));
                return new Peak(r.measuredPeak(), "child-JVM VmHWM - idle baseline (ZO FULL)");
            }

            @Override
            public Peak firstOrder(Path modelDir, int rows, int seqLen) throws Exception {
                List<String> cmd = new ArrayList<>();
                cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                cmd.addAll(ChildJvm.GC_FLAGS);
                cmd.add("-Xmx" + (maxHeapBytes >> 20) + "m");
                cmd.add("-Datelier.zo.threads=1");
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("-Dai.djl") || a.startsWith("-DENGINE_CACHE_DIR"))
                        .forEach(cmd::add);
                cmd.add("-cp");
                cmd.add(System.getProperty("java.class.path"));
                cmd.add(FirstOrderProbe.class.getName());
                cmd.add(modelDir.toString());
                cmd.add(Integer.toString(rows));
                cmd.add(Integer.toString(seqLen));
                cmd.add(Integer.toString(steps));
                Path err = Files.createTempFile("fo-probe", ".err");
                try {
                    Process p =
                            new ProcessBuilder(cmd).redirectError(err.toFile()).start();
                    byte[] out = p.getInputStream().readAllBytes();
                    if (!p.waitFor(600, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        throw new IllegalStateException("first-order probe exceeded 600 s");
                    }
                    if (p.exitValue() != 0) {
                        List<String> lines = Files.readAllLines(err);
                        throw new IllegalStateException("first-order probe exited " + p.exitValue() + ": "
                                + (lines.isEmpty() ? "" : lines.get(lines.size() - 1)));
                    }
                    String last = new String(out, StandardCharsets.UTF_8)
                            .strip()
                            .lines()
                            .reduce((a, b) -> b)
                            .orElse("");
                    ProbeResult r = ProbeResult.fromJson(last);
                    return new Peak(r.measuredPeak(), "child-JVM VmHWM - idle baseline (DJL backprop + Adam)");
                } finally {
                    Files.deleteIfExists(err);
                }
            }
        };
    }
}
