package dev.atelier.cli.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.cli.CliRun;
import dev.atelier.core.params.Safetensors;
import dev.atelier.sketch.eval.SketchEvaluator;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A designer's workflow without a coordinator: sketch check, sketch train (and resume), generate --model on a folder. */
class SketchCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void checkReportsCountsAndNamesEveryProblem() throws Exception {
        Path data = HerFolder.pairs(tmp, 12);
        CliRun ok = CliRun.of("sketch", "check", "--data", data.toString());
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out())
                .contains("garments  12 readable in images/   sizes: 28x28 x12")
                .contains("sketches  12 readable in sketches/ sizes: 32x32 x12")
                .contains("pairs     12 matched by name")
                .contains("holds out 1 of them")
                .contains("ok: the folder can be trained on")
                .doesNotContain("scaled up");
        CliRun at64 = CliRun.of("sketch", "check", "--data", data.toString(), "--canvas", "64");
        assertThat(at64.exitCode()).isZero();
        assertThat(at64.out())
                .contains("canvas    64x64 px: images scaled to a longer side of 56 px")
                .contains("images/: 12 of 12 images are smaller than the 56 px the 64 px canvas draws them at"
                        + " (longer side down to 28 px")
                .contains("sketches/: 12 of 12 images are smaller than the 56 px the 64 px canvas draws them at"
                        + " (longer side down to 32 px")
                .contains("ok: the folder can be trained on (2 warnings above)");
        Path aside = Files.move(data.resolve("sketches/look-00.png"), tmp.resolve("look-00.png"));
        CliRun unsketched = CliRun.of("sketch", "check", "--data", data.toString(), "--unsketched");
        assertThat(unsketched.exitCode()).isZero();
        assertThat(unsketched.out())
                .contains("pairs     11 matched by name (at least 6 needed); 1 garments and 0 sketches unmatched")
                .contains("unsketched 1 garments without a sketch train too (--unsketched)")
                .contains("ok: the folder can be trained on")
                .doesNotContain("warning");
        Files.move(aside, data.resolve("sketches/look-00.png"));
        CliRun odd = CliRun.of("sketch", "check", "--data", data.toString(), "--canvas", "60");
        assertThat(odd.exitCode()).isNotZero();
        assertThat(odd.err()).contains("canvas side must be a multiple of 8");

        Files.move(data.resolve("sketches/look-03.png"), data.resolve("sketches/look-3.png"));
        Files.write(data.resolve("images/look-05.jpg"), new byte[] {1, 2, 3});
        CliRun bad = CliRun.of("sketch", "check", "--data", data.toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.out())
                .contains("error: images/look-05.jpg: has the same name as images/look-05.png")
                .contains("images/look-03.png")
                .contains("sketches/look-3.png")
                .contains("1 errors");
    }

    @Test
    void trainResumesAndGenerateSketchesAWholeFolderFromTheModelDirectory() throws Exception {
        Path data = HerFolder.pairs(tmp, 12);
        Path model = tmp.resolve("model");
        String[] train = {
            "sketch",
            "train",
            "--data",
            data.toString(),
            "--out",
            model.toString(),
            "--encoder",
            HerFolder.encoder(tmp).toString(),
            "--warmup",
            "2",
            "--steps",
            "2",
            "--batch-size",
            "4",
            "--checkpoint-every",
            "2"
        };
        CliRun first = CliRun.of(train);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("4 steps on 11 pairs, 1 held out");
        assertThat(Files.readAllLines(model.resolve("held-out.txt"))).containsExactly("look-09");

        train[train.length - 5] = "4"; // --steps 4
        CliRun again = CliRun.of(train);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).contains("resuming " + model + " after 4 steps");
        assertThat(again.out()).contains("6 steps on 11 pairs");

        CliRun eval = CliRun.of(
                "sketch",
                "eval",
                "--model",
                model.toString(),
                "--data",
                data.toString(),
                "--evaluator",
                evaluator().toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.out())
                .contains("scored 1 pairs")
                .contains("model")
                .contains("edges")
                .contains("mean_sketch");
        var report = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(model.resolve("eval.json").toFile());
        assertThat(report.at("/pair_names/0").asText()).isEqualTo("look-09");
        for (String row : List.of("model", "edges", "mean_sketch")) {
            assertThat(report.at("/scores/" + row + "/l1").asDouble()).as(row).isBetween(0.0, 1.0);
            assertThat(report.at("/scores/" + row + "/ssim").asDouble()).as(row).isBetween(-1.0, 1.0);
        }
        assertThat(report.at("/mean_sketch_in_sample").asBoolean()).isFalse();
        // one held-out pair: no KID (it needs two), said so rather than a made-up number
        assertThat(report.at("/scores/model/kid").isMissingNode()).isTrue();
        assertThat(eval.out()).contains("KID needs at least 2 scored pairs");
        CliRun evalAll = CliRun.of(
                "sketch",
                "eval",
                "--model",
                model.toString(),
                "--data",
                data.toString(),
                "--all",
                "--evaluator",
                evaluator().toString(),
                "--json",
                tmp.resolve("all.json").toString());
        assertThat(evalAll.exitCode()).as(evalAll.err()).isZero();
        assertThat(evalAll.out()).contains("scored 12 pairs").contains("KID 95% CI");
        var all = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(tmp.resolve("all.json").toFile());
        for (String row : List.of("model", "edges", "mean_sketch")) {
            double kid = all.at("/scores/" + row + "/kid").asDouble(Double.NaN);
            double lo = all.at("/scores/" + row + "/kid_ci95/0").asDouble(Double.NaN);
            double hi = all.at("/scores/" + row + "/kid_ci95/1").asDouble(Double.NaN);
            assertThat(lo).as(row).isLessThanOrEqualTo(hi);
            assertThat(kid).as(row).isFinite();
        }
        assertThat(all.at("/kid_bootstrap/resamples").asInt()).isEqualTo(1000);

        Path out = tmp.resolve("sketches");
        CliRun gen = generate(model, data.resolve("images"), out, "--scale", "2");
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        assertThat(gen.out()).contains("wrote 12 sketches to " + out);
        BufferedImage one = ImageIO.read(out.resolve("look-00.png").toFile());
        assertThat(one.getWidth()).isEqualTo(64);

        CliRun noCard = generate(model, data.resolve("images/look-00.png"), tmp.resolve("x.png"), "--blend", "0.5");
        assertThat(noCard.exitCode()).isNotZero();
        assertThat(noCard.err()).contains("federation-style-card.safetensors");
        CliRun notAModel = generate(tmp, data.resolve("images"), out);
        assertThat(notAModel.err()).contains("is not a model directory");
    }

    private Path evaluator() throws Exception {
        Path file = tmp.resolve("evaluator.safetensors");
        if (!Files.exists(file)) {
            Safetensors.write(SketchEvaluator.untrainedParams(5), file);
        }
        return file;
    }

    @Test
    void distillWritesTheStudentIntoAnyModelDirectoryAtItsCanvas() throws Exception {
        Path data = HerFolder.pairs(tmp, 12);
        Path model = tmp.resolve("model64");
        CliRun train = CliRun.of(
                "sketch",
                "train",
                "--data",
                data.toString(),
                "--out",
                model.toString(),
                "--encoder",
                HerFolder.encoder(tmp).toString(),
                "--canvas",
                "64",
                "--warmup",
                "1",
                "--steps",
                "1",
                "--batch-size",
                "2");
        assertThat(train.exitCode()).as(train.err()).isZero();
        CliRun noStudent = generate(model, data.resolve("images/look-00.png"), tmp.resolve("s.png"), "--student");
        assertThat(noStudent.err()).contains("sketch distill --model");

        CliRun distill = CliRun.of("sketch", "distill", "--model", model.toString(), "--steps", "2");
        assertThat(distill.exitCode()).as(distill.err()).isZero();
        assertThat(distill.out())
                .contains("2 steps on 11 garments")
                .contains("1 held out skipped")
                .contains("64 px canvas");
        assertThat(model.resolve("student.safetensors")).isRegularFile();
        assertThat(model.resolve("student.safetensors.tmp")).doesNotExist();

        Path out = tmp.resolve("student-sketches");
        CliRun gen = generate(model, data.resolve("images"), out, "--student", "--scale", "1");
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        BufferedImage one = ImageIO.read(out.resolve("look-03.png").toFile());
        assertThat(one.getWidth()).as("the model's 64 px canvas").isEqualTo(64);
        assertThat(one.getHeight()).isEqualTo(64);
        assertThat(distill.out()).contains("the teacher's encoder").doesNotContain("sub-pixel");

        // its own separable encoder on request (auto gives it one from 128 px or with VGG-16)
        CliRun own = CliRun.of(
                "sketch",
                "distill",
                "--model",
                model.toString(),
                "--steps",
                "1",
                "--student-encoder",
                "on",
                "--encoder-steps",
                "3");
        assertThat(own.exitCode()).as(own.err()).isZero();
        assertThat(own.out()).contains("own separable encoder (relative feature error");
        CliRun genOwn = generate(model, data.resolve("images/look-03.png"), tmp.resolve("own.png"), "--student");
        assertThat(genOwn.exitCode()).as(genOwn.err()).isZero();
        assertThat(ImageIO.read(tmp.resolve("own.png").toFile()).getWidth()).isEqualTo(64 * 4);
        CliRun badChoice = CliRun.of("sketch", "distill", "--model", model.toString(), "--student-encoder", "maybe");
        assertThat(badChoice.err()).contains("auto, on or off");

        // a demo or node directory has no training.json: --data is needed
        Files.delete(model.resolve("training.json"));
        CliRun noData = CliRun.of("sketch", "distill", "--model", model.toString());
        assertThat(noData.exitCode()).isNotZero();
        assertThat(noData.err()).contains("pass --data");
        CliRun withData =
                CliRun.of("sketch", "distill", "--model", model.toString(), "--data", data.toString(), "--steps", "1");
        assertThat(withData.exitCode()).as(withData.err()).isZero();
        assertThat(withData.out()).contains("on 11 garments");
    }

    /** {@code atelier generate --model MODEL --input INPUT --out OUT MORE...}. */
    private static CliRun generate(Path model, Path input, Path out, String... more) {
        List<String> args = new ArrayList<>(
                List.of("generate", "--model", model.toString(), "--input", input.toString(), "--out", out.toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }
}
