package dev.atelier.studio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.testing.TestThreads;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.style.Styles;
import dev.atelier.studio.fed.NodeWorker;
import dev.atelier.studio.train.TrainQueue;
import dev.atelier.transport.app.Coordinator;
import dev.atelier.transport.app.CoordinatorConfig;
import dev.atelier.transport.security.CertificateAuthority;
import dev.atelier.transport.security.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Federation page in a real browser against a real coordinator (mutual TLS on loopback, the
 * sketch workload, 2 tiny rounds): she uploads her pairs, imports her own model and makes it
 * active, joins with her certificate folder, the studio runs her node as a child process on her
 * model, and the page shows its live status and, per round from the node's own ledger, critic and
 * metric bytes above 0 and 0 bytes of images and sketches; the node exits by itself when the
 * coordinator says the run is complete, having trained her generator (a small move from hers);
 * after a studio restart the page shows the last state and the same ledger. Then a second
 * federation waits for a second node, so her node runs until she presses Stop: stopped, and no
 * node process left.
 */
class StudioFederationBrowserTest {
    @RegisterExtension
    final TestThreads rounds = new TestThreads(); // blocking rounds: not on the common pool

    @TempDir
    static Path tmp;

    @BeforeAll
    static void browser() {
        Browser.require();
    }

    @Test
    void sheJoinsAFederationAndSeesWhatLeftHerMachineEachRound() throws Exception {
        Path encoder = Fixtures.encoder(tmp.resolve("public-net.safetensors"));
        List<Path>[] pairs = Fixtures.pairs(tmp.resolve("her-folder"), 12);
        CertificateAuthority ca =
                CertificateAuthority.init(tmp.resolve("pki"), "Test Federation CA", Duration.ofDays(2));
        ca.issue("coordinator", Role.COORDINATOR, List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
        ca.issue("maison", Role.NODE, List.of(), Duration.ofDays(1));
        Path bundle = ca.dir().resolve("maison");
        // her model was made elsewhere, on another public feature network than the run's
        Path herModel =
                herModel(Fixtures.encoder(tmp.resolve("her-encoder.safetensors"), 23), tmp.resolve("her-model"));

        Coordinator coordinator = new Coordinator(CoordinatorConfig.parse(coordinatorSettings(encoder), tmp));
        CompletableFuture<Object> run = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return coordinator.run();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                rounds);
        RemoteWebDriver d = Browser.start(tmp.resolve("chrome-profile"));
        Path home = tmp.resolve("studio-home");
        try {
            String address = address(coordinator, run);
            Studio studio = start(home, encoder);
            try {
                WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(600));
                wait.ignoring(StaleElementReferenceException.class);
                // the page reloads itself every 3 s while the node runs: elements vanish mid-read
                wait.ignoring(org.openqa.selenium.WebDriverException.class);

                // joining needs her folder first
                d.get(studio.url() + "/style");
                d.findElement(By.id("images")).sendKeys(join(pairs[0]));
                d.findElement(By.id("sketches")).sendKeys(join(pairs[1]));
                d.findElement(By.name("name")).sendKeys("for the federation");
                d.findElement(By.id("upload")).click();
                wait.until(ExpectedConditions.urlContains("/style/folder/1"));

                // her own model (a version she made active) is what her node trains on
                d.get(studio.url() + "/style");
                d.findElement(By.id("import-path")).sendKeys(herModel.toString());
                d.findElement(By.id("import")).click();
                wait.until(x ->
                        x.findElement(By.cssSelector("#v1 .status")).getText().equals("done"));
                d.findElement(By.cssSelector("#v1 button")).click(); // "Use this one"
                wait.until(x -> x.findElement(By.cssSelector("#v1")).getText().contains("active"));

                d.get(studio.url() + "/federation");
                assertThat(d.findElement(By.id("node-state")).getAttribute("data-state"))
                        .isEqualTo("NEVER_STARTED");
                d.findElement(By.id("certs")).sendKeys(bundle.toString());
                d.findElement(By.id("coordinator")).sendKeys(address);
                d.findElement(By.id("join")).click();
                // two tiny rounds can end between two page refreshes: running, or already complete
                wait.until(x -> List.of("RUNNING", "COMPLETE")
                        .contains(x.findElement(By.id("node-state")).getAttribute("data-state")));
                wait.until(x -> x.findElement(By.id("node-model")).getText().equals("starting from her model v1"));
                // both rounds trained and accepted; the page refreshes itself meanwhile
                wait.until(x -> x.findElement(By.id("node-accepted")).getText().startsWith("2 replies accepted"));
                wait.until(x -> x.findElements(By.cssSelector("#ledger tr.round[data-round='2'] td.critic")).stream()
                        .anyMatch(c -> bytes(c) > 0));
                wait.until(x -> {
                    assertThat(x.findElement(By.id("node-state")).getText()).contains("maison");
                    checkLedger(d);
                    return true;
                });
                Browser.screenshot(d, "federation");
                run.get(120, java.util.concurrent.TimeUnit.SECONDS);

                // the coordinator tells the node the run is complete: it exits by itself, 0
                wait.until(x -> x.findElement(By.id("node-state"))
                        .getAttribute("data-state")
                        .equals("COMPLETE"));
                assertThat(d.findElements(By.id("stop"))).isEmpty();
                // the node trained her model, not a fresh one from the run's seed on the run's encoder
                Path nodeModel = home.resolve("node/workload/model.safetensors");
                assertThat(SketchGan.readMetadata(nodeModel)).containsEntry("round", "2");
                ParamSet node = Safetensors.read(nodeModel);
                ParamSet hers = Safetensors.read(herModel.resolve("model.safetensors"));
                ParamSet fresh = freshRunModel(encoder, tmp.resolve("fresh-run-model.safetensors"));
                // her encoder (frozen) came along, byte for byte; the run's is another network
                assertThat(only(node, "encoder.")).isEqualTo(only(hers, "encoder."));
                assertThat(only(fresh, "encoder.")).isNotEqualTo(only(hers, "encoder."));
                // two GAN steps moved her generator's weights; they stay nearer hers than the run-seed ones
                double fromHers = distance(weights(node), weights(hers));
                double fromFresh = distance(weights(node), weights(fresh));
                System.out.printf(
                        "generator weights after 2 rounds: %.3f from hers, %.3f from the run seed's%n",
                        fromHers, fromFresh);
                assertThat(fromHers).isLessThan(fromFresh / 2);
            } finally {
                studio.close();
            }

            // a restart shows the last state and the same ledger
            Studio again = start(home, encoder);
            try {
                d.get(again.url() + "/federation");
                assertThat(d.findElement(By.id("node-state")).getAttribute("data-state"))
                        .isEqualTo("COMPLETE");
                assertThat(d.findElement(By.id("node-accepted")).getText()).startsWith("2 replies accepted");
                checkLedger(d);

                // Stop: a second federation waits for two nodes, so its first round never starts
                // and her node runs until she presses Stop
                Coordinator waiting =
                        new Coordinator(CoordinatorConfig.parse(waitingForTwo(coordinatorSettings(encoder)), tmp));
                CompletableFuture<Object> waitingRun = CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return waiting.run();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        rounds);
                try {
                    WebElement field = d.findElement(By.id("coordinator"));
                    field.clear();
                    field.sendKeys(address(waiting, waitingRun));
                    d.findElement(By.id("join")).click();
                    WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(300));
                    wait.ignoring(StaleElementReferenceException.class);
                    wait.ignoring(org.openqa.selenium.WebDriverException.class);
                    wait.until(x -> x.findElement(By.id("node-state"))
                            .getAttribute("data-state")
                            .equals("RUNNING"));
                    assertThat(d.findElement(By.id("node-state")).getText()).contains("run studio-waiting");
                    assertThat(nodeProcesses()).as("her node's process").hasSize(1);
                    // the round never starts: the node is still running when she presses Stop
                    wait.until(x -> {
                        x.findElement(By.id("stop")).click();
                        return true;
                    });
                    wait.until(x -> x.findElement(By.id("node-state"))
                            .getAttribute("data-state")
                            .equals("STOPPED"));
                    assertThat(nodeProcesses()).as("no node process left").isEmpty();
                    assertThat(d.findElements(By.id("stop"))).isEmpty();
                    assertThat(d.findElement(By.id("join")).isEnabled()).isTrue();
                } finally {
                    waiting.close();
                }
            } finally {
                again.close();
            }
        } finally {
            d.quit();
            coordinator.close();
        }
    }

    /** {@code 127.0.0.1:PORT} once the coordinator listens. */
    private static String address(Coordinator c, CompletableFuture<Object> run) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (c.port() <= 0 && System.nanoTime() < end) {
            if (run.isCompletedExceptionally()) {
                run.get(); // the coordinator's own error
            }
            Thread.sleep(50);
        }
        assertThat(c.port()).as("the coordinator listens").isPositive();
        return "127.0.0.1:" + c.port();
    }

    /** The node child processes of this JVM (the studio's {@code NodeWorker}s), alive ones only. */
    private static List<ProcessHandle> nodeProcesses() {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> arguments(p).contains(NodeWorker.class.getName()))
                .toList();
    }

    /**
     * A process's arguments from {@code /proc/PID/cmdline}: {@code ProcessHandle.Info} cuts a long
     * command line (the class path) short on Linux, before the main class.
     */
    private static List<String> arguments(ProcessHandle p) {
        Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
        try {
            return List.of(
                    new String(Files.readAllBytes(cmdline), java.nio.charset.StandardCharsets.UTF_8).split("\0"));
        } catch (java.io.IOException e) {
            return p.info().arguments().map(List::of).orElse(List.of());
        }
    }

    private static Map<String, String> waitingForTwo(Map<String, String> m) {
        m.put("run_id", "studio-waiting");
        m.put("sampling.min_available", "2");
        m.put("sampling.min_replies", "2");
        return m;
    }

    /** A model of her own, trained elsewhere (a fresh one with seed 77 and a contour style card). */
    private static Path herModel(Path encoder, Path out) throws Exception {
        Files.createDirectories(out);
        var garments = FashionMnist.loadFixture().train();
        try (SketchGan gan = SketchGan.create(Safetensors.read(encoder), SketchGanConfig.defaults(), 77)) {
            List<float[]> sketches = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sketches.add(Styles.CONTOUR.render(garments.image(i)));
            }
            gan.setStyleCard(gan.computeStyleCard(sketches));
            gan.save(out.resolve("model.safetensors"), Map.of("designer", "her"));
        }
        return out;
    }

    /** The fresh model a node without her model would start from: the run's seed 0 on the run's encoder. */
    private static ParamSet freshRunModel(Path runEncoder, Path file) throws Exception {
        try (SketchGan gan = SketchGan.create(Safetensors.read(runEncoder), SketchGanConfig.defaults(), 0)) {
            gan.setStyleCard(gan.computeStyleCard(List.of(new float[32 * 32])));
            gan.save(file, Map.of());
        }
        return Safetensors.read(file);
    }

    private static ParamSet only(ParamSet p, String prefix) {
        ParamSet.Builder b = ParamSet.builder();
        p.asMap().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                b.put(k, v);
            }
        });
        ParamSet out = b.build();
        assertThat(out.names()).as(prefix + "*").isNotEmpty();
        return out;
    }

    /** The generator's learned weights (not BatchNorm's statistics) in name order, as one vector. */
    private static double[] weights(ParamSet p) {
        List<Double> all = new java.util.ArrayList<>();
        for (String name : new java.util.TreeSet<>(p.names())) {
            if (name.startsWith("gen.") && name.endsWith(".weight")) {
                for (float f : p.get(name).toFloats()) {
                    all.add((double) f);
                }
            }
        }
        assertThat(all).as("generator weights").isNotEmpty();
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double distance(double[] a, double[] b) {
        assertThat(a).hasSameSizeAs(b);
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(diff);
    }

    /** Rounds 1 and 2: critic bytes sent, no style card, images or sketches; the critic's tensor names only. */
    private static void checkLedger(RemoteWebDriver d) {
        for (String round : List.of("1", "2")) {
            WebElement row = d.findElement(By.cssSelector("#ledger tr.round[data-round='" + round + "']"));
            assertThat(bytes(row.findElement(By.cssSelector("td.critic"))))
                    .as("critic, round %s", round)
                    .isPositive();
            // a training reply carries the critic only; a style card leaves on analytics tasks, if shared
            assertThat(bytes(row.findElement(By.cssSelector("td.style"))))
                    .as("style card")
                    .isZero();
            assertThat(bytes(row.findElement(By.cssSelector("td.metrics")))).isPositive();
            assertThat(row.findElement(By.cssSelector("td.images")).getText()).isEqualTo("0 B");
            assertThat(bytes(row.findElement(By.cssSelector("td.images")))).isZero();
            assertThat(row.findElement(By.cssSelector("td.epsilon")).getText()).isEqualTo("DP off");
            String names = (String) d.executeScript("return arguments[0].querySelector('td.names').textContent;", row);
            assertThat(names).contains("disc.").doesNotContain("gen.").doesNotContain("style.");
        }
        WebElement joining = d.findElement(By.cssSelector("#ledger tr.round[data-round='0']"));
        assertThat(bytes(joining.findElement(By.cssSelector("td.control")))).isPositive();
        assertThat(bytes(joining.findElement(By.cssSelector("td.critic")))).isZero();
    }

    private static long bytes(WebElement cell) {
        return Long.parseLong(cell.getAttribute("data-bytes"));
    }

    private static Map<String, String> coordinatorSettings(Path encoder) {
        Map<String, String> m = new HashMap<>();
        m.put("run_id", "studio-federation");
        m.put("workload", "sketch");
        m.put("rounds", "2");
        m.put("evaluate_every", "0");
        m.put("sampling.min_available", "1");
        m.put("sampling.min_replies", "1");
        m.put("round_timeout_s", "600");
        m.put("startup_wait_s", "600");
        m.put("listen", "127.0.0.1:0");
        m.put("metrics_listen", "127.0.0.1:0");
        m.put("cert_dir", "pki");
        m.put("heartbeat_s", "1");
        // a node heartbeats only once its workload is built (DJL start-up, seconds under load)
        m.put("liveness_s", "300");
        m.put("workload_settings.encoder", encoder.toString());
        m.put("workload_settings.warmup_steps", "1");
        m.put("workload_settings.gan_batch_size", "4");
        m.put("train.local_steps", "1");
        return m;
    }

    private static Studio start(Path home, Path encoder) throws Exception {
        StudioSettings s = StudioSettings.local(home)
                .withPort(0)
                .withEncoder(encoder, "fixture")
                .withTraining(Fixtures.TINY);
        return Studio.start(s, StudioBrowserTest.LIMITS, TrainQueue.defaultJava());
    }

    private static String join(List<Path> files) {
        return files.stream().map(Path::toString).collect(Collectors.joining("\n"));
    }
}
