package dev.atelier.cli.zo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.zo.firstorder.WordVocab;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.RandomCheckpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code atelier zo task} on a user's JSONL file and a small random model with a word tokenizer. */
class ZoTaskCommandTest {
    @TempDir
    Path dir;

    @Test
    void summarisesAJsonlTaskAndScoresIt() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            b.append(
                    i % 2 == 0
                            ? "{\"text\": \"warm wool garment number " + i + "\", \"label\": \"coat\"}\n"
                            : "{\"prompt\": \"leather strap case number " + i + "\", \"completion\": \" bag\"}\n");
        }
        Path jsonl = Files.writeString(dir.resolve("notes.jsonl"), b);
        Path model = dir.resolve("model");
        WordVocab.write(model, WordVocab.build(List.of(b.toString()), List.of("coat", "bag", "-", ">"), 80));
        var spec = new RandomCheckpoint.Spec(80, 32, 1, 2, 2, 16, 64, 32);
        var shapes = RandomCheckpoint.shapes(Family.GPT2, spec, true);
        RandomCheckpoint.write(
                model,
                RandomCheckpoint.config(Family.GPT2, spec, true),
                shapes,
                RandomCheckpoint.random(shapes, 1, 0.02));
        PrintStream old = System.out;
        var out = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(out, true));
            rc = new CommandLine(new ZoTaskCommand())
                    .execute(
                            "--model",
                            model.toString(),
                            "--jsonl",
                            jsonl.toString(),
                            "--stores",
                            "3",
                            "--fo-steps",
                            "20");
        } finally {
            System.setOut(old);
        }
        String s = out.toString();
        assertThat(rc).as(s).isZero();
        assertThat(s).containsPattern("task notes\\.jsonl: \\d+ train, \\d+ test items");
        assertThat(s)
                .contains(
                        "store 2: ",
                        "zero-shot test accuracy ",
                        "chance 0.500)",
                        "first-order fine-tune (20 Adam steps");
        assertThat(s).containsPattern("coat +\\d+ +\\d+");

        Files.writeString(jsonl, "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": 5, \"label\": \"y\"}\n");
        var err = new ByteArrayOutputStream();
        CommandLine bad = new CommandLine(new ZoTaskCommand());
        bad.setErr(new java.io.PrintWriter(err, true));
        assertThat(bad.execute("--model", model.toString(), "--jsonl", jsonl.toString()))
                .isNotZero();
        assertThat(err.toString()).contains("notes.jsonl:2: \"text\" must be a string");
    }

    @Test
    void pretrainAndTaskAreSubcommandsOfZo() {
        var task = dev.atelier.cli.CliRun.of("zo", "task", "--help");
        assertThat(task.exitCode()).isZero();
        assertThat(task.out()).contains("Usage: atelier zo task");
        var pretrain = dev.atelier.cli.CliRun.of("zo", "pretrain", "--help");
        assertThat(pretrain.exitCode()).isZero();
        assertThat(pretrain.out()).contains("Usage: atelier zo pretrain");
    }
}
