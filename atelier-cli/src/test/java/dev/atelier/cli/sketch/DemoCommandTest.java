package dev.atelier.cli.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.cli.AtelierCli;
import dev.atelier.cli.CliFixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atelier demo} end to end on real Fashion-MNIST with a tiny schedule, then
 * {@code atelier generate} on its models. Needs the dataset, found as the product finds it
 * ({@code ATELIER_DATA}, {@code ~/.atelier/datasets/fashion-mnist}, the Debian package; never
 * downloaded by the test): without it the test fails with the resolver's message listing every place
 * tried (.ci/run installs the Debian package).
 */
class DemoCommandTest {
    private static final List<String> REGIMES = List.of("local_only", "federated", "centralized", "student");
    private static final List<String> METRICS = List.of("fsd", "kid", "ssim", "l1", "style_acc", "fusion");

    @TempDir
    Path tmp;

    @Test
    void demoWritesTheReportModelsAndSketchesThatGenerateUses() throws Exception {
        Path out = tmp.resolve("demo");
        assertThat(tinyDemo(out, false, 2, 1)).isZero();

        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.get("designers")).hasSize(8);
        for (JsonNode d : report.get("designers")) {
            assertThat(d.get("train_pairs").asInt()).isBetween(60, 300);
            for (String regime : REGIMES) {
                for (String metric : METRICS) {
                    assertThat(d.at("/metrics/" + regime + "/" + metric).isNumber())
                            .as(d.get("name") + " " + regime + " " + metric)
                            .isTrue();
                }
                assertThat(d.at("/metrics/" + regime + "/ssim").asDouble()).isBetween(-1.0, 1.0);
            }
        }
        assertThat(report.at("/timing/total_s").asDouble()).isPositive();
        assertThat(report.at("/params/student").asLong())
                .isLessThan(report.at("/params/teacher").asLong());
        assertThat(report.at("/macs/student").asLong())
                .isLessThan(report.at("/macs/teacher").asLong());
        assertThat(Files.readString(out.resolve("report.html")))
                .contains("ada-contour")
                .contains("<img");
        assertThat(out.resolve("sketches/ada-contour/federated-000.png")).isRegularFile();
        assertThat(out.resolve("federation/metrics.jsonl")).isRegularFile();
        for (String regime : List.of("local_only", "federated", "centralized")) {
            assertThat(out.resolve("models/ada-contour/" + regime + "/model.safetensors"))
                    .isRegularFile();
        }
        assertThat(out.resolve("models/ada-contour/federated/student.safetensors"))
                .isRegularFile();
        assertThat(out.resolve("models/ada-contour/federated/federation-style-card.safetensors"))
                .isRegularFile();

        // A user's garment (any size, dark on light with --invert) in own, blended and student style.
        BufferedImage garment = new BufferedImage(50, 60, BufferedImage.TYPE_INT_RGB);
        var g = garment.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 50, 60);
        g.setColor(java.awt.Color.DARK_GRAY);
        g.fillRect(12, 8, 26, 46);
        g.dispose();
        Path input = tmp.resolve("garment.png");
        ImageIO.write(garment, "png", input.toFile());
        for (List<String> extra : List.of(List.<String>of(), List.of("--blend", "0.5"), List.of("--student"))) {
            Path sketch = tmp.resolve("sketch-" + extra.size() + extra.hashCode() + ".png");
            List<String> args = new java.util.ArrayList<>(List.of(
                    "generate",
                    "--run",
                    out.toString(),
                    "--designer",
                    "bram-bold",
                    "--input",
                    input.toString(),
                    "--invert",
                    "--out",
                    sketch.toString()));
            args.addAll(extra);
            assertThat(AtelierCli.run(args.toArray(String[]::new)))
                    .as(extra.toString())
                    .isZero();
            BufferedImage img = ImageIO.read(sketch.toFile());
            assertThat(img.getWidth()).isEqualTo(128);
            assertThat(img.getHeight()).isEqualTo(128);
        }
        // The same model directory through --model, a whole folder in one call, student and blend included.
        Path garments = Files.createDirectories(tmp.resolve("garments"));
        Files.copy(input, garments.resolve("a.png"));
        Files.copy(input, garments.resolve("b.png"));
        Path sketches = tmp.resolve("sketches-out");
        assertThat(AtelierCli.run(
                        "generate",
                        "--model",
                        out.resolve("models/bram-bold/federated").toString(),
                        "--input",
                        garments.toString(),
                        "--invert",
                        "--student",
                        "--blend",
                        "0.5",
                        "--out",
                        sketches.toString()))
                .isZero();
        assertThat(sketches.resolve("a.png")).isRegularFile();
        assertThat(sketches.resolve("b.png")).isRegularFile();
        assertThat(AtelierCli.run(
                        "generate",
                        "--run",
                        out.toString(),
                        "--designer",
                        "nobody",
                        "--input",
                        input.toString(),
                        "--out",
                        tmp.resolve("x.png").toString()))
                .isNotZero();

        // A second demo into the same folder must not mix into the first one's run.
        byte[] before = Files.readAllBytes(out.resolve("report.json"));
        assertThat(AtelierCli.run(
                        "demo",
                        "--quick",
                        "--out",
                        out.toString(),
                        "--data",
                        CliFixtures.fashionMnist().toString()))
                .isNotZero();
        assertThat(Files.readAllBytes(out.resolve("report.json"))).isEqualTo(before);
        // --force replaces it: the federation's metrics hold this run's single round, not both runs'.
        assertThat(tinyDemo(out, true, 1, 0)).isZero();
        assertThat(Files.readAllLines(out.resolve("federation/metrics.jsonl"))).hasSize(1);
    }

    /**
     * {@code atelier demo --quick} into {@code out} with one round: {@code steps} local and
     * distillation steps, {@code warmup} warm-up steps; {@code force} replaces an earlier run there.
     */
    private int tinyDemo(Path out, boolean force, int steps, int warmup) {
        List<String> args = new ArrayList<>(List.of("demo", "--quick"));
        if (force) {
            args.add("--force");
        }
        args.addAll(List.of(
                "--out",
                out.toString(),
                "--cache-dir",
                tmp.resolve("cache").toString(),
                "--data",
                CliFixtures.fashionMnist().toString(),
                "--rounds",
                "1",
                "--local-steps",
                Integer.toString(steps),
                "--warmup",
                Integer.toString(warmup),
                "--distill-steps",
                Integer.toString(steps)));
        return AtelierCli.run(args.toArray(String[]::new));
    }
}
