package dev.atelier.studio.fed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.studio.train.TrainQueue;
import dev.atelier.transport.security.CertificateAuthority;
import dev.atelier.transport.security.Role;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A killed studio does not leave her node running: a real studio-like JVM ({@link OrphanProbe})
 * starts the node child through {@link NodeSupervisor}, is killed with SIGKILL (no shutdown hook
 * runs, so only the child's own watchdog can stop it), and the node process must be gone within a
 * few seconds.
 */
class OrphanedNodeTest {
    /** The watchdog notices at once (end of its stdin) and halts after 5 s at most: 10 s is generous. */
    private static final Duration GONE_WITHIN = Duration.ofSeconds(10);

    @Test
    void sigkillOfTheStudioStopsItsNodeWithinSeconds(@TempDir Path tmp) throws Exception {
        CertificateAuthority ca = CertificateAuthority.init(tmp.resolve("pki"), "Test CA", Duration.ofDays(1));
        ca.issue("maison", Role.NODE, List.of(), Duration.ofDays(1));
        Path data = Files.createDirectories(tmp.resolve("data"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: the node keeps retrying a refused connection
        }
        List<String> cmd = new ArrayList<>(TrainQueue.defaultJava());
        cmd.add(OrphanProbe.class.getName());
        cmd.addAll(List.of(
                tmp.resolve("node").toString(),
                ca.dir().resolve("maison").toString(),
                data.toString(),
                "127.0.0.1:" + port));
        Process studio = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        tmp.resolve("probe.log").toFile()))
                .start();
        ProcessHandle node = null;
        try {
            String line = new BufferedReader(new InputStreamReader(studio.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(line).as("the probe printed its node's pid").startsWith("NODE ");
            Optional<ProcessHandle> child = ProcessHandle.of(Long.parseLong(line.substring(5)));
            assertThat(child).as("the node process").isPresent();
            node = child.get();
            assertThat(node.parent().map(ProcessHandle::pid)).contains(studio.pid());
            // the node lives on while its studio does (it keeps dialling the closed port)
            Thread.sleep(3000);
            assertThat(running(node)).as("the node runs while the studio runs").isTrue();

            studio.destroyForcibly(); // SIGKILL: the studio's own shutdown hooks never run
            studio.waitFor();
            long t0 = System.nanoTime();
            while (running(node) && System.nanoTime() - t0 < GONE_WITHIN.toNanos()) {
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(running(node))
                    .as("the node is gone within %s s of the studio's SIGKILL", GONE_WITHIN.toSeconds())
                    .isFalse();
            System.out.printf("orphaned node gone %.2f s after the studio's SIGKILL%n", seconds);
            assertThat(Files.readString(tmp.resolve("node").resolve("node.log")))
                    .contains("the process that started this one is gone");
        } finally {
            studio.destroyForcibly();
            if (node != null) {
                node.destroyForcibly();
            }
        }
    }

    /** Alive and not a zombie waiting for a reaper that may never come (pid 1 in a container). */
    private static boolean running(ProcessHandle h) throws java.io.IOException {
        if (!h.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(h.pid()), "stat");
        if (!Files.isReadable(stat)) {
            return h.isAlive();
        }
        String s;
        try {
            s = Files.readString(stat);
        } catch (java.nio.file.NoSuchFileException gone) {
            return false;
        }
        // "pid (comm) S ...": the state follows the last ')'
        return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
    }
}
