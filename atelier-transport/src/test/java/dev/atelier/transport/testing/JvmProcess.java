package dev.atelier.transport.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A child JVM on this test's class path, its output captured to a log file. */
public final class JvmProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private JvmProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code mainClass} with {@code args}; output goes to {@code logDir/name.log}. */
    public static JvmProcess start(String name, Path logDir, List<String> jvmArgs, String mainClass, String... args)
            throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new JvmProcess(name, p, log);
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the log contains {@code text}; fails with the log tail otherwise. */
    public void awaitLog(String text, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (log().contains(text)) {
                return;
            }
            if (!process.isAlive() && !log().contains(text)) {
                throw new AssertionError(
                        name + " exited (" + process.exitValue() + ") before logging '" + text + "':\n" + tail());
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " did not log '" + text + "' within " + timeout + ":\n" + tail());
    }

    /** Occurrences of {@code text} in the log. */
    public int count(String text) {
        String l = log();
        int n = 0;
        for (int i = l.indexOf(text); i >= 0; i = l.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }

    public String tail() {
        String l = log();
        return l.length() > 4000 ? l.substring(l.length() - 4000) : l;
    }

    public Process process() {
        return process;
    }

    /** kill -9. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
