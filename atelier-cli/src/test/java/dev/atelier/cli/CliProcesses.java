package dev.atelier.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code atelier ...} commands as child JVMs on this test's classpath, each logging to
 * {@code DIR/NAME.log}, for tests of real separate processes (coordinator and nodes). Closing
 * kills every process started. Not thread-safe.
 */
public final class CliProcesses implements AutoCloseable {
    private final Path dir;
    private final List<String> jvmOptions;
    private final List<Process> processes = new ArrayList<>();

    /** @param jvmOptions options before {@code -cp} (heap, engine threads, modules) */
    public CliProcesses(Path dir, List<String> jvmOptions) {
        this.dir = dir;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Starts {@code atelier ARGS} in {@code dir}, stdout and stderr appended to {@code logName.log}. */
    public Process start(String logName, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AtelierCli.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve(logName + ".log").toFile()))
                .start();
        processes.add(p);
        return p;
    }

    /** What the process logged so far ("" before it wrote anything). */
    public String log(String name) throws IOException {
        Path f = dir.resolve(name + ".log");
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }

    /** Waits until {@code name}'s log contains {@code text}; fails with the log after {@code wait}. */
    public void awaitLog(String name, String text, Duration wait) throws Exception {
        long end = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < end) {
            if (log(name).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " did not log '" + text + "':\n" + log(name));
    }

    /** A loopback port free right now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }
}
