package dev.atelier.studio;

import static org.junit.jupiter.api.Assertions.fail;

import dev.atelier.core.testing.Prerequisite;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * Debian's headless Chromium driven by its chromedriver, both passed by path so Selenium never
 * looks for (or downloads) a browser. Missing packages fail the test under CI ({@code ATELIER_CI=1}
 * or {@code CI=true}: .ci/run installs them) and skip it elsewhere.
 */
final class Browser {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {}

    static void require() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String reason = "browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                + "): apt-get install -y chromium chromium-driver";
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(reason + " (CI=true: .ci/run installs them, so they must be present)");
        }
        Prerequisite.require(present, reason);
    }

    /**
     * A WebDriver session on a fresh chromedriver. A plain {@link RemoteWebDriver}, not a
     * {@code ChromeDriver}: ChromeDriver also opens a DevTools (CDP) websocket at start, which the
     * tests never use and which sometimes hung for Selenium's 180 s read timeout (Selenium has no
     * CDP for this Chromium anyway). Quitting it stops the chromedriver too.
     */
    static RemoteWebDriver start(Path profile) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,1100",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        try {
            service.start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("chromedriver did not start", e);
        }
        RemoteWebDriver d;
        try {
            d = new RemoteWebDriver(service.getUrl(), o) {
                @Override
                public void quit() {
                    try {
                        super.quit();
                    } finally {
                        service.stop();
                    }
                }
            };
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
        d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return d;
    }

    /**
     * Saves a screenshot as {@code studio-NAME.png}: into {@code ATELIER_STUDIO_SCREENSHOTS} when set
     * (docs/images when the docs are refreshed), else into target/.
     */
    static Path screenshot(RemoteWebDriver d, String name) throws Exception {
        String dir = System.getenv("ATELIER_STUDIO_SCREENSHOTS");
        Path out = Path.of(dir != null ? dir : "target/studio-screenshots").resolve("studio-" + name + ".png");
        Files.createDirectories(out.getParent());
        Dimension before = d.manage().window().getSize();
        long height = (Long) d.executeScript("return document.documentElement.scrollHeight;");
        d.manage().window().setSize(new Dimension(before.getWidth(), (int)
                Math.min(4000, Math.max(700, height + 140))));
        Files.write(out, ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
        d.manage().window().setSize(before);
        return out;
    }
}
