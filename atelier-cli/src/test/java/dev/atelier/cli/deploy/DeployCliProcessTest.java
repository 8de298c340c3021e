package dev.atelier.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.cli.AtelierCli;
import dev.atelier.cli.CliProcesses;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.ImageDataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment through the real {@code atelier} command: certs, a coordinator JVM and three
 * node JVMs on loopback with mutual TLS, 2 rounds; one node is killed mid-round (the round
 * completes with the others) and the coordinator is killed with SIGKILL and restarted (it
 * resumes; the surviving nodes reconnect by themselves).
 *
 * <p>The real {@code classifier} workload (DJL) trains on each node's own labelled image folder
 * (PNG files written from the committed Fashion-MNIST fixture, disjoint per node), so the test
 * needs neither the network nor the dataset package. A round takes a few seconds of local
 * training, long enough to kill a node and the coordinator inside it.
 */
class DeployCliProcessTest {
    private static final String WORKLOAD = "classifier";
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    Path tmp;

    /** {@code dir/<label>/<i>.png} for images {@code from, from+step, ...} of the fixture's training part. */
    private static void writeImageFolder(Path dir, int from, int step) throws IOException {
        ImageDataset train = FashionMnist.loadFixture().train();
        for (int i = from; i < train.size(); i += step) {
            BufferedImage img = new BufferedImage(train.width(), train.height(), BufferedImage.TYPE_BYTE_GRAY);
            for (int r = 0; r < train.height(); r++) {
                for (int c = 0; c < train.width(); c++) {
                    int v = train.pixel(i, r, c);
                    img.setRGB(c, r, 0xff000000 | v << 16 | v << 8 | v);
                }
            }
            // "3-Dress": folders sort in Fashion-MNIST label order, so every node numbers labels alike
            int label = train.label(i);
            Path f = dir.resolve(label + "-" + train.classNames().get(label).replace('/', '-'))
                    .resolve(i + ".png");
            Files.createDirectories(f.getParent());
            ImageIO.write(img, "png", f.toFile());
        }
    }

    private static final List<String> JVM = java.util.stream.Stream.concat(
                    java.util.stream.Stream.of("-Xmx1g", "-XX:+UseSerialGC", "-Dai.djl.offline=true"),
                    java.util.stream.Stream.concat(
                            dev.atelier.ml.engine.PyTorchThreads.jvmFlags(1).stream(),
                            java.util.stream.Stream.of("--enable-native-access=ALL-UNNAMED")))
            .toList();

    /** {@code atelier status ...} in this JVM; returns its standard output. */
    private static String status(String... args) {
        java.io.PrintStream out = System.out;
        var buf = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(buf, true, StandardCharsets.UTF_8));
            List<String> all = new ArrayList<>(List.of("status"));
            all.addAll(List.of(args));
            assertThat(AtelierCli.run(all.toArray(String[]::new))).isZero();
        } finally {
            System.setOut(out);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void federationSurvivesNodeAndCoordinatorCrashes() throws Exception {
        try (CliProcesses cli = new CliProcesses(tmp, JVM)) {
            assertThat(AtelierCli.run(
                            "certs", "init", "--dir", tmp.resolve("certs").toString()))
                    .isZero();
            assertThat(AtelierCli.run(
                            "certs",
                            "issue",
                            "coordinator",
                            "--coordinator",
                            "--san",
                            "127.0.0.1",
                            "--dir",
                            tmp.resolve("certs").toString()))
                    .isZero();
            List<String> names = List.of("maison-a", "maison-b", "maison-c");
            for (String n : names) {
                assertThat(AtelierCli.run(
                                "certs",
                                "issue",
                                n,
                                "--dir",
                                tmp.resolve("certs").toString()))
                        .isZero();
            }
            for (int i = 0; i < names.size(); i++) {
                writeImageFolder(tmp.resolve("data-" + names.get(i)), i, names.size());
            }
            int port = CliProcesses.freePort();
            int metricsPort = CliProcesses.freePort();
            Files.writeString(
                    tmp.resolve("coordinator.toml"),
                    String.join(
                            "\n",
                            "run_id = \"cli-it\"",
                            "workload = \"" + WORKLOAD + "\"",
                            "rounds = 2",
                            "sampling.min_available = 2",
                            "sampling.min_replies = 2",
                            "startup_nodes = 3",
                            "round_timeout_s = 150",
                            "listen = \"127.0.0.1:" + port + "\"",
                            "metrics_listen = \"127.0.0.1:" + metricsPort + "\"",
                            "cert_dir = \"certs\"",
                            "heartbeat_s = 0.5",
                            "liveness_s = 6",
                            "train.local_steps = 300",
                            "train.batch_size = 32",
                            ""));
            Process coordinator = cli.start("coordinator-1", "coordinator", "--config", "coordinator.toml");
            Map<String, Process> nodes = new LinkedHashMap<>();
            for (String n : names) {
                nodes.put(
                        n,
                        cli.start(
                                n,
                                "node",
                                "--coordinator",
                                "127.0.0.1:" + port,
                                "--cert-dir",
                                "certs/" + n,
                                "--workload",
                                WORKLOAD,
                                "--data",
                                "data-" + n,
                                "--state-dir",
                                "state-" + n,
                                "--max-backoff",
                                "1"));
            }
            cli.awaitLog("maison-c", "round 1: TRAIN instruction received", WAIT);
            nodes.get("maison-c").destroyForcibly().waitFor();
            cli.awaitLog("coordinator-1", "round 1/2 done", WAIT);
            // The round's failures are logged just after its "done" line: wait for them, not only for it.
            cli.awaitLog("coordinator-1", "maison-c did not contribute (DISCONNECTED)", WAIT);
            assertThat(cli.log("coordinator-1")).contains("2 of 3 replied");

            String status = status("--url", "http://127.0.0.1:" + metricsPort);
            assertThat(status)
                    .contains("run cli-it")
                    .contains("maison-a")
                    .contains("last round 1: 2 of 3 replied")
                    .contains("maison-c DISCONNECTED");
            cli.awaitLog("maison-a", "round 2: TRAIN instruction received", WAIT);
            coordinator.destroyForcibly().waitFor();
            Process restarted = cli.start("coordinator-2", "coordinator", "--config", "coordinator.toml");
            assertThat(restarted.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(restarted.exitValue()).as(cli.log("coordinator-2")).isZero();
            assertThat(cli.log("coordinator-2"))
                    .contains("resuming run cli-it after round 1")
                    .contains("run cli-it complete after round 2");
            // The nodes that survived both crashes hear that the run is over and exit 0.
            for (String n : List.of("maison-a", "maison-b")) {
                Process node = nodes.get(n);
                assertThat(node.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
                        .as(cli.log(n))
                        .isTrue();
                assertThat(node.exitValue()).as(cli.log(n)).isZero();
                String log = cli.log(n);
                assertThat(log).contains("run complete (").contains("\nnode: run complete");
                assertThat(log.substring(log.lastIndexOf("round 2: coordinator answered")))
                        .doesNotContain("unreachable");
            }
            RunDirectory dir = new RunDirectory(tmp.resolve("runs/cli-it"));
            assertThat(dir.readMetrics())
                    .extracting(dev.atelier.core.run.RoundRecord::round)
                    .containsExactly(1, 2);
            assertThat(dir.latestCheckpoint())
                    .hasValueSatisfying(e -> assertThat(e.getKey()).isEqualTo(2));
        }
    }
}
