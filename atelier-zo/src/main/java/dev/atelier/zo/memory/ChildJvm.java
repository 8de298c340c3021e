package dev.atelier.zo.memory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The parent side of the memory protocol: runs one {@link ClientJob} in a fresh child JVM (this
 * JVM's own {@code java} binary and class path) and parses the {@link ProbeResult} it prints.
 * The child's flags are fixed so the peaks are comparable and follow the live data:
 * {@link #GC_FLAGS} (the serial collector with a fixed 32 MiB young generation, eden 8 × each survivor space, and a tightly
 * sized old generation), {@code -Xmx} as given, one engine thread
 * ({@code -Datelier.zo.threads=1}), and the Vector API module when this JVM has it. Thread-safe
 * (each call starts its own process).
 */
public final class ChildJvm {
    /** Collector flags of every measured child. */
    public static final List<String> GC_FLAGS = List.of(
            "-XX:+UseSerialGC",
            "-Xms64m",
            "-Xmn32m",
            "-XX:SurvivorRatio=8",
            "-XX:MinHeapFreeRatio=5",
            "-XX:MaxHeapFreeRatio=10");

    private final long maxHeapBytes;
    private final long timeoutSeconds;

    /** {@code maxHeapBytes}: the child's -Xmx; {@code timeoutSeconds}: killed after this. */
    public ChildJvm(long maxHeapBytes, long timeoutSeconds) {
        if (maxHeapBytes < (64L << 20) || timeoutSeconds < 1) {
            throw new IllegalArgumentException("max heap must be ≥ 64 MiB and the timeout ≥ 1 s");
        }
        this.maxHeapBytes = maxHeapBytes;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** The child's command line for {@code job}. */
    public List<String> command(ClientJob job) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(GC_FLAGS);
        cmd.add("-Xmx" + (maxHeapBytes >> 20) + "m");
        cmd.add("-Datelier.zo.threads=1");
        if (ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.contains("jdk.incubator.vector"))) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ClientProbe.class.getName());
        cmd.add(job.toJson());
        return cmd;
    }

    /** Runs {@code job} and returns its measurement; a failed child throws with its last stderr line. */
    public ProbeResult run(ClientJob job) throws IOException, InterruptedException {
        Path out = Files.createTempFile("zo-probe", ".out");
        Path err = Files.createTempFile("zo-probe", ".err");
        try {
            // Both streams to files, so a child that hangs cannot block us past the timeout.
            Process p = new ProcessBuilder(command(job))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("client probe exceeded " + timeoutSeconds + " s: " + job.toJson());
            }
            if (p.exitValue() != 0) {
                String last = Files.readAllLines(err).stream()
                        .filter(l -> !l.startsWith("WARNING"))
                        .reduce((a, b) -> b)
                        .orElse("");
                throw new IllegalStateException("client probe exited " + p.exitValue() + ": " + last);
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8).strip();
            return ProbeResult.fromJson(stdout.lines().reduce((a, b) -> b).orElse(""));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
