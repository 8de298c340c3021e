package dev.atelier.studio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.params.Safetensors;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.sketch.model.ModelDir;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.StyleCard;
import dev.atelier.sketch.student.SketchStudent;
import dev.atelier.sketch.student.StudentConfig;
import dev.atelier.sketch.style.Styles;
import dev.atelier.studio.train.TrainQueue;
import dev.atelier.studio.upload.UploadLimits;
import dev.atelier.studio.web.Kpis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The designer's flow in a real browser (headless Chromium): upload a folder with a damaged and an
 * oversize file among the pairs and see the check per file; train a tiny model with live progress;
 * sketch an uploaded garment of another size (several candidates that differ); import a federated
 * model and move the blend slider to get a different sketch; keep one; a rejected garment upload
 * (damaged, oversize) with its message; restart the server and find the kept sketch in History.
 */
class StudioBrowserTest {
    /** Small enough that the oversize file is quick to make: 300 KB per image. */
    static final UploadLimits LIMITS = new UploadLimits(300_000, 200, 8L << 20, 16L << 20);

    @TempDir
    static Path tmp;

    @BeforeAll
    static void browser() {
        Browser.require();
    }

    private static Studio start(Path home, Path encoder) throws Exception {
        StudioSettings s = StudioSettings.local(home)
                .withPort(0)
                .withEncoder(encoder, "fixture")
                .withTraining(Fixtures.TINY);
        List<String> java = new ArrayList<>(TrainQueue.defaultJava());
        return Studio.start(s, LIMITS, java);
    }

    @Test
    void aDesignerTrainsCreatesBlendsKeepsAndFindsHerSketchAfterARestart() throws Exception {
        Path home = tmp.resolve("studio-home");
        Path encoder = Fixtures.encoder(tmp.resolve("public-net.safetensors"));
        List<Path>[] pairs = Fixtures.pairs(tmp.resolve("her-folder"), 12);
        Path broken = Fixtures.corrupt(tmp.resolve("bad/broken.png"));
        Path huge = Fixtures.noisePng(tmp.resolve("bad/huge.png"), 400);
        assertThat(Files.size(huge)).isGreaterThan(LIMITS.maxFileBytes());
        Path garment = Fixtures.jpeg(tmp.resolve("new-looks/red coat.jpg"), 3, 90, 120);

        RemoteWebDriver d = Browser.start(tmp.resolve("chrome-profile"));
        try {
            flow(d, home, encoder, pairs, broken, huge, garment);
        } finally {
            d.quit();
        }
    }

    private void flow(
            RemoteWebDriver d, Path home, Path encoder, List<Path>[] pairs, Path broken, Path huge, Path garment)
            throws Exception {
        Studio studio = start(home, encoder);
        try {
            WebDriverWait wait = new WebDriverWait(d, Duration.ofSeconds(120));
            // pages reload themselves when training ends: an element may go stale mid-check
            wait.ignoring(StaleElementReferenceException.class);
            d.get(studio.url() + "/");
            assertThat(d.getCurrentUrl()).endsWith("/style"); // no model yet: My style first
            assertThat(d.getPageSource()).contains("No model yet");

            // 1. upload the folder: 12 pairs plus a damaged and an oversize "garment"
            List<Path> images = new ArrayList<>(pairs[0]);
            images.add(broken);
            images.add(huge);
            d.findElement(By.id("images")).sendKeys(join(images));
            d.findElement(By.id("sketches")).sendKeys(join(pairs[1]));
            d.findElement(By.name("name")).sendKeys("spring looks");
            d.findElement(By.id("upload")).click();
            wait.until(ExpectedConditions.urlContains("/style/folder/1"));
            String check = d.findElement(By.tagName("main")).getText();
            assertThat(check)
                    .contains("12 garments, 12 sketches, 12 pairs matched by name (1 held out")
                    .contains("images/broken.png")
                    .contains("refused: not a PNG or JPEG image (checked by its content, not its name)")
                    .contains("images/huge.png")
                    .contains("refused: larger than the 0.3 MiB limit")
                    .contains("Files (24 stored, 2 refused)"); // the empty zip picker is no file
            Browser.screenshot(d, "check");

            // 2. train a tiny model; progress comes live, the version becomes active when done
            List<String> stream = listen(studio.url() + "/events/train");
            d.findElement(By.id("train-1")).click();
            wait.until(ExpectedConditions.urlContains("/style"));
            wait.until(x -> x.findElement(By.cssSelector("#v1")).getText().contains("active")); // done, reloaded
            assertThat(d.findElement(By.cssSelector("#v1 .status")).getText()).isEqualTo("done");
            assertThat(d.findElement(By.cssSelector("#v1 .progress")).getText()).startsWith("step 4/4 · loss (L1) 0.");
            wait.until(x -> x.findElement(By.cssSelector("#v1 img.preview"))
                    .getAttribute("src")
                    .contains("/img/preview/1"));
            // what the page was sent while the child trained: every step, then the end, and a preview
            wait.until(x -> stream.stream().anyMatch(l -> l.contains("\"preview\":\"/img/preview/1")));
            assertThat(stream)
                    .anyMatch(l -> l.startsWith("data: ")
                            && l.contains("\"kind\":\"progress\"")
                            && l.contains("\"done\":1,\"total\":4"));
            assertThat(stream).anyMatch(l -> l.contains("\"kind\":\"done\"") && l.contains("\"done\":4"));
            assertThat(Files.readAllLines(home.resolve("models/v1/held-out.txt")))
                    .containsExactly("look-09");

            // 3. sketch an uploaded garment of another size: three candidates that differ
            d.get(studio.url() + "/create");
            d.findElement(By.id("garment")).sendKeys(garment.toString());
            d.findElement(By.id("sketch")).click();
            List<String> first = candidates(d, wait, null);
            assertThat(first).hasSize(3);
            assertThat(distinct(home, first)).as("jittered candidates differ").isEqualTo(3);
            assertThat(d.findElement(By.id("timing")).getText()).startsWith("time-to-sketch ");
            // the held-out gallery (look-09 was never trained on)
            d.findElement(By.cssSelector("button.pick")).click();
            List<String> picked = candidates(d, wait, first);
            assertThat(d.findElement(By.cssSelector("#results figure.input figcaption"))
                            .getText())
                    .isEqualTo("held-out look-09.png");
            assertThat(picked).hasSize(3);

            // 4. a federated model with the federation's style card: the blend slider changes the sketch
            Path federated = federatedModel(home.resolve("models/v1"), tmp.resolve("demo/federated"));
            d.get(studio.url() + "/style");
            d.findElement(By.id("import-path")).sendKeys(federated.toString());
            d.findElement(By.id("import")).click();
            wait.until(
                    x -> x.findElement(By.cssSelector("#v2 .status")).getText().equals("done"));
            d.findElement(By.cssSelector("#v2 button")).click(); // "Use this one"
            wait.until(x -> x.findElement(By.cssSelector("#v2")).getText().contains("active"));
            Browser.screenshot(d, "style");
            d.get(studio.url() + "/create");
            d.findElement(By.id("garment")).sendKeys(garment.toString());
            d.findElement(By.id("sketch")).click();
            List<String> own = candidates(d, wait, null);
            WebElement slider = d.findElement(By.id("blend"));
            ((JavascriptExecutor) d)
                    .executeScript(
                            "arguments[0].value = 0; arguments[0].dispatchEvent(new Event('input'));"
                                    + " arguments[0].dispatchEvent(new Event('change'));",
                            slider);
            List<String> blended = candidates(d, wait, own);
            assertThat(d.findElement(By.id("blend-value")).getText()).isEqualTo("0% own");
            assertThat(pixels(home, blended.get(0)))
                    .as("the federation's card draws another sketch than her own")
                    .isNotEqualTo(pixels(home, own.get(0)));

            // the edge student draws the same garment and blend with its own decoder
            d.findElement(By.id("student")).click();
            List<String> byStudent = candidates(d, wait, blended);
            assertThat(pixels(home, byStudent.get(0)))
                    .as("the student's sketch is its own")
                    .isNotEqualTo(pixels(home, blended.get(0)));
            d.findElement(By.id("student")).click(); // back to the teacher
            blended = candidates(d, wait, byStudent);

            // 5. keep the first candidate, discard the second
            d.findElement(By.cssSelector("#results figure.candidate .keep")).click();
            wait.until(x -> x.findElement(By.cssSelector("#results figure.candidate"))
                    .getAttribute("class")
                    .contains("kept"));
            d.findElements(By.cssSelector("#results figure.candidate .discard"))
                    .get(1)
                    .click();
            wait.until(x -> x.findElements(By.cssSelector("#results figure.candidate"))
                    .get(1)
                    .getAttribute("class")
                    .contains("discarded"));
            Browser.screenshot(d, "create");
            String kept = blended.get(0);

            // 6. rejected garment uploads, each with its message
            d.findElement(By.id("garment")).sendKeys(broken.toString());
            d.findElement(By.id("sketch")).click();
            wait.until(x -> !x.findElement(By.id("message")).getText().isEmpty());
            assertThat(d.findElement(By.id("message")).getText())
                    .isEqualTo("broken.png: refused, not a PNG or JPEG image (checked by its content, not its name)");
            d.findElement(By.id("garment")).sendKeys(huge.toString());
            d.findElement(By.id("sketch")).click();
            wait.until(x -> x.findElement(By.id("message")).getText().contains("huge.png"));
            assertThat(d.findElement(By.id("message")).getText())
                    .isEqualTo("huge.png: refused, larger than the 0.3 MiB limit");

            // 7. time-to-sketch: 20 more uploads, measured by the page from click to all candidates shown
            for (int i = 0; i < 20; i++) {
                List<String> before = d.findElements(By.cssSelector("#results figure.candidate")).stream()
                        .map(e -> e.getAttribute("data-id"))
                        .toList();
                d.findElement(By.id("garment")).sendKeys(garment.toString());
                d.findElement(By.id("sketch")).click();
                candidates(d, wait, before.isEmpty() ? null : before);
            }
            wait.until(x -> timings(studio) >= 23);
            d.get(studio.url() + "/dashboard");
            String dash = d.findElement(By.tagName("main")).getText();
            assertThat(dash)
                    .contains("time-to-sketch, median")
                    .contains("IP incidents")
                    .contains("1 kept");
            Browser.screenshot(d, "dashboard"); // the federation page: StudioFederationBrowserTest
        } finally {
            studio.close();
        }

        // 8. restart: the kept sketch is in History, with its settings, and searchable
        Studio again = start(home, encoder);
        try {
            List<Double> ms = again.timeToSketchMillis();
            System.out.printf(
                    "time-to-sketch on this machine: median %.0f ms, p95 %.0f ms over %d uploads%n",
                    Kpis.percentile(ms, 50), Kpis.percentile(ms, 95), ms.size());
            d.get(again.url() + "/history");
            List<WebElement> rows = d.findElements(By.cssSelector("tr.kept"));
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).getText())
                    .contains("red coat.jpg")
                    .contains("teacher · blend 0% own · plain")
                    .contains("v2");
            Browser.screenshot(d, "history");
            d.findElement(By.id("q")).sendKeys("v1");
            d.findElement(By.id("search")).click();
            wait(d).until(x -> x.getCurrentUrl().contains("q=v1"));
            assertThat(d.findElements(By.cssSelector("tr.kept"))).isEmpty();
            d.get(again.url() + "/history?q=coat");
            assertThat(d.findElements(By.cssSelector("tr.kept"))).hasSize(1);
        } finally {
            again.close();
        }
    }

    private static WebDriverWait wait(RemoteWebDriver d) {
        WebDriverWait w = new WebDriverWait(d, Duration.ofSeconds(30));
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    /** Waits for a new set of candidates (other ids than {@code before}) whose images are all shown. */
    private static List<String> candidates(RemoteWebDriver d, WebDriverWait wait, List<String> before) {
        wait.until(x -> {
            List<WebElement> figs = x.findElements(By.cssSelector("#results figure.candidate"));
            if (figs.isEmpty() || x.findElement(By.id("results")).getAttribute("aria-busy") != null) {
                return false;
            }
            List<String> ids = figs.stream().map(e -> e.getAttribute("data-id")).toList();
            return (before == null || !ids.equals(before))
                    && figs.stream().allMatch(f -> (Boolean) ((JavascriptExecutor) x)
                            .executeScript(
                                    "const i = arguments[0].querySelector('img'); return i.complete && i.naturalWidth > 0;",
                                    f));
        });
        return d.findElements(By.cssSelector("#results figure.candidate")).stream()
                .map(e -> e.getAttribute("data-id"))
                .toList();
    }

    private static long distinct(Path home, List<String> ids) throws Exception {
        List<String> keys = new ArrayList<>();
        for (String id : ids) {
            keys.add(Arrays.toString(pixels(home, id)));
        }
        return keys.stream().distinct().count();
    }

    private static int[] pixels(Path home, String id) throws Exception {
        var img = ImageIO.read(home.resolve("sketches/" + id + ".png").toFile());
        return img.getRaster().getPixels(0, 0, img.getWidth(), img.getHeight(), (int[]) null);
    }

    /** A copy of v1 with a federation style card: the average card of two other styles' sketches. */
    private static Path federatedModel(Path v1, Path out) throws Exception {
        Files.createDirectories(out);
        Files.copy(v1.resolve(ModelDir.MODEL), out.resolve(ModelDir.MODEL));
        var garments = FashionMnist.loadFixture().train();
        try (SketchGan gan = SketchGan.load(out.resolve(ModelDir.MODEL))) {
            List<StyleCard> cards = new ArrayList<>();
            for (Styles s : List.of(Styles.CHALK, Styles.BLUEPRINT)) {
                List<float[]> sketches = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    sketches.add(s.render(garments.image(i)));
                }
                cards.add(gan.computeStyleCard(sketches));
            }
            new ModelDir(out).saveFederationCard(StyleCard.average(cards, new double[] {1, 1}), 3);
            // an (untrained) edge student, as the demo distils one next to its federated model
            try (SketchStudent student = SketchStudent.create(gan, StudentConfig.defaults(), 5)) {
                student.save(new ModelDir(out).student(), java.util.Map.of());
            }
        }
        assertThat(StyleCard.fromParamSet(Safetensors.read(out.resolve("federation-style-card.safetensors"))))
                .isNotNull();
        return out;
    }

    private static int timings(Studio s) {
        try {
            return s.timeToSketchMillis().size();
        } catch (java.sql.SQLException e) {
            return 0;
        }
    }

    /** The lines of a server-sent event stream, collected in the background until the test ends. */
    private static List<String> listen(String url) {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest r = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Accept", "text/event-stream")
                .build();
        http.sendAsync(r, java.net.http.HttpResponse.BodyHandlers.ofLines())
                .thenAccept(resp -> resp.body().forEach(lines::add));
        return lines;
    }

    private static String join(List<Path> files) {
        return files.stream().map(Path::toString).collect(Collectors.joining("\n"));
    }
}
