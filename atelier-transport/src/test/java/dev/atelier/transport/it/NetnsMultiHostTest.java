package dev.atelier.transport.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.run.RunDirectory;
import dev.atelier.core.testing.Prerequisite;
import dev.atelier.transport.security.CertificateAuthority;
import dev.atelier.transport.security.Role;
import dev.atelier.transport.testing.CoordinatorProcess;
import dev.atelier.transport.testing.NodeProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-host deployment in Linux network namespaces: the coordinator in one namespace, three
 * nodes in three others, each node linked to the coordinator by its own veth pair
 * ({@code 10.231.K.1} coordinator side, {@code 10.231.K.2} node side). Those addresses exist only
 * inside the namespaces this test creates (no default route, nothing reaches the host network),
 * and everything is deleted afterwards. Part of the default suite; needs root, iproute2 and
 * namespaces with veth pairs: .ci/run checks them (and installs iproute2), so without them the test
 * fails under CI and is skipped elsewhere ({@link Prerequisite}).
 */
class NetnsMultiHostTest {
    private static final int NODES = 3;

    @TempDir
    Path tmp;

    private static String ip() {
        for (String p : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    private static boolean root() {
        try {
            Process p = new ProcessBuilder("id", "-u").start();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                    .strip()
                    .equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static List<String> java(String ns, String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                ip(),
                "netns",
                "exec",
                ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Why this machine does not let us create a namespace and move a veth end into it (containers
     * without CAP_NET_ADMIN or the veth module do not), or null when it does; cleans up after itself.
     */
    private static String namespacesUnusable(String ip) {
        String ns = "atl-probe" + ThreadLocalRandom.current().nextInt(1000, 9999);
        String a = ns.replace("atl-probe", "apa");
        String b = ns.replace("atl-probe", "apb");
        try {
            sh(ip, "netns", "add", ns);
            sh(ip, "link", "add", a, "type", "veth", "peer", "name", b);
            sh(ip, "link", "set", b, "netns", ns);
            return null;
        } catch (IOException | InterruptedException e) {
            return e.getMessage().strip();
        } finally {
            for (String[] cmd : List.of(new String[] {ip, "link", "del", a}, new String[] {ip, "netns", "del", ns})) {
                try {
                    new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor();
                } catch (IOException | InterruptedException ignored) {
                    // best effort: the probe may have failed before creating it
                }
            }
        }
    }

    @Test
    void coordinatorAndNodesInSeparateNamespaces() throws Exception {
        String ip = ip();
        Prerequisite.require(ip != null, "no ip command (apt-get install iproute2)");
        Prerequisite.require(root(), "network namespaces need root");
        String unusable = namespacesUnusable(ip);
        Prerequisite.require(unusable == null, "network namespaces with veth pairs unusable here: " + unusable);
        String id = Integer.toString(ThreadLocalRandom.current().nextInt(1000, 9999));
        String coordNs = "atl-c" + id;
        List<String> namespaces = new ArrayList<>(List.of(coordNs));
        List<Process> procs = new ArrayList<>();
        try {
            sh(ip, "netns", "add", coordNs);
            sh(ip, "-n", coordNs, "link", "set", "lo", "up");
            List<String> sans = new ArrayList<>();
            for (int k = 1; k <= NODES; k++) {
                String ns = "atl-n" + k + "-" + id;
                namespaces.add(ns);
                sh(ip, "netns", "add", ns);
                sh(ip, "-n", ns, "link", "set", "lo", "up");
                String a = "ac" + id + k;
                String b = "an" + id + k;
                sh(ip, "link", "add", a, "type", "veth", "peer", "name", b);
                sh(ip, "link", "set", a, "netns", coordNs);
                sh(ip, "link", "set", b, "netns", ns);
                sh(ip, "-n", coordNs, "addr", "add", "10.231." + k + ".1/24", "dev", a);
                sh(ip, "-n", ns, "addr", "add", "10.231." + k + ".2/24", "dev", b);
                sh(ip, "-n", coordNs, "link", "set", a, "up");
                sh(ip, "-n", ns, "link", "set", b, "up");
                sans.add("10.231." + k + ".1");
            }
            CertificateAuthority ca = CertificateAuthority.init(tmp.resolve("pki"), "Netns CA", Duration.ofDays(1));
            ca.issue("coordinator", Role.COORDINATOR, sans, Duration.ofDays(1));
            for (int k = 1; k <= NODES; k++) {
                ca.issue("host" + k, Role.NODE, List.of(), Duration.ofDays(1));
            }
            Files.writeString(
                    tmp.resolve("coordinator.toml"),
                    String.join(
                            "\n",
                            "run_id = \"netns\"",
                            "workload = \"linear\"",
                            "rounds = 2",
                            "sampling.min_available = 3",
                            "sampling.min_replies = 3",
                            "startup_wait_s = 60",
                            "round_timeout_s = 60",
                            "listen = \"0.0.0.0:7443\"",
                            "metrics_listen = \"127.0.0.1:0\"",
                            "cert_dir = \"pki\"",
                            "heartbeat_s = 0.5",
                            "workload_settings.rows = 64",
                            "workload_settings.cols = 64",
                            ""));
            Process coordinator = new ProcessBuilder(java(
                            coordNs,
                            CoordinatorProcess.class.getName(),
                            tmp.resolve("coordinator.toml").toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("coordinator.log").toFile())
                    .start();
            procs.add(coordinator);
            for (int k = 1; k <= NODES; k++) {
                procs.add(new ProcessBuilder(java(
                                namespaces.get(k),
                                NodeProcess.class.getName(),
                                "10.231." + k + ".1:7443",
                                tmp.resolve("pki/host" + k).toString(),
                                tmp.resolve("state" + k).toString(),
                                "linear"))
                        .redirectErrorStream(true)
                        .redirectOutput(tmp.resolve("host" + k + ".log").toFile())
                        .start());
            }
            boolean ended = coordinator.waitFor(3, TimeUnit.MINUTES);
            String log = Files.readString(tmp.resolve("coordinator.log"));
            assertThat(ended).as(log).isTrue();
            assertThat(coordinator.exitValue()).as(log).isZero();
            for (int k = 1; k <= NODES; k++) {
                assertThat(log).contains("node host" + k + " registered from /10.231." + k + ".2:");
            }
            assertThat(new RunDirectory(tmp.resolve("runs/netns")).readMetrics())
                    .extracting(dev.atelier.core.run.RoundRecord::replies)
                    .containsExactly(3, 3);
        } finally {
            for (Process p : procs) {
                p.destroyForcibly().waitFor();
            }
            for (String ns : namespaces) {
                try {
                    sh(ip, "netns", "del", ns);
                } catch (IOException e) {
                    System.err.println("cleanup: " + e.getMessage());
                }
            }
            MultiProcessTest.keepLogs(tmp, Path.of("target", "netns-logs"));
        }
    }
}
