package dev.atelier.cli.zo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.cli.CliFixtures;
import dev.atelier.cli.CliRun;
import dev.atelier.core.testing.Prerequisite;
import dev.atelier.zo.data.Gcide;
import dev.atelier.zo.data.WordNet;
import dev.atelier.zo.firstorder.WordVocab;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.RandomCheckpoint;
import dev.atelier.zo.task.GarmentTask;
import dev.atelier.zo.task.Prompt;
import dev.atelier.zo.task.TaskItem;
import dev.atelier.zo.task.TextTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atelier zo simulate} without {@code --data}: the real garment task over non-IID stores,
 * on a tiny random GPT-2 with a word tokenizer of the task's words (the cached base LM takes
 * minutes to pretrain), compared as zero-shot vs ZO-federated on the head's label rows (the
 * default) vs full-model ZO vs first-order FedAvg.
 */
class ZoSimulateTaskTest {
    private static final Pattern ROW = Pattern.compile(
            "\\| ([^|]+) \\| ([0-9.]+) \\[([0-9.]+), ([0-9.]+)\\] \\((\\d+)/(\\d+)\\) \\| ([0-9.]+) \\| (\\d+) \\|"
                    + " ([0-9.]+) \\| ([0-9.]+) \\| ([^|]+) \\| ([0-9]+)[^|]*\\|");

    @TempDir
    Path tmp;

    record Row(
            String method, double acc, double low, double high, int n, double raw, int labels, double loss, long up) {}

    @Test
    void comparesZeroShotZoFederatedAndFirstOrderOnTheGarmentTask() throws Exception {
        Prerequisite.require(WordNet.present(WordNet.DEFAULT_DIR), "WordNet missing: apt-get install wordnet-base");
        Prerequisite.require(Gcide.present(Gcide.DEFAULT_DIR), "GCIDE missing: apt-get install dict-gcide");
        TextTask task = GarmentTask.load(WordNet.DEFAULT_DIR, Gcide.DEFAULT_DIR).task();
        List<String> corpus = new ArrayList<>();
        for (TaskItem it : task.train()) {
            corpus.add(Prompt.prompt(it.text()));
        }
        Path model = tmp.resolve("model");
        WordVocab.write(model, WordVocab.build(corpus, task.labelWords(), 512));
        var spec = new RandomCheckpoint.Spec(512, 32, 1, 2, 2, 16, 64, 64);
        var shapes = RandomCheckpoint.shapes(Family.GPT2, spec, true);
        RandomCheckpoint.write(
                model,
                RandomCheckpoint.config(Family.GPT2, spec, true),
                shapes,
                RandomCheckpoint.random(shapes, 3, 0.02));
        Path runs = tmp.resolve("runs");
        CliRun r = CliRun.of(
                "zo",
                "simulate",
                "--model",
                model.toString(),
                "--stores",
                "4",
                "--rounds",
                "2",
                "--local-steps",
                "6",
                "--batch-size",
                "4",
                "--lr",
                "3e-3",
                "--full-lr",
                "3e-3",
                "--fo-steps",
                "2",
                "--runs-dir",
                runs.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("| method | test accuracy [95% CI] | uncalibrated | labels predicted | = majority | test loss"
                        + " | client peak memory | upload bytes / store / round |")
                .containsPattern("always the training majority \\(label \\d+\\): 0\\.\\d{3} \\[");
        List<Row> rows = new ArrayList<>();
        Matcher m = ROW.matcher(r.out());
        while (m.find()) {
            rows.add(new Row(
                    m.group(1).strip(),
                    Double.parseDouble(m.group(2)),
                    Double.parseDouble(m.group(3)),
                    Double.parseDouble(m.group(4)),
                    Integer.parseInt(m.group(6)),
                    Double.parseDouble(m.group(7)),
                    Integer.parseInt(m.group(8)),
                    Double.parseDouble(m.group(10)),
                    Long.parseLong(m.group(12))));
        }
        assertThat(rows)
                .extracting(Row::method)
                .containsExactly(
                        "zero-shot base LM",
                        "ZO-federated (head[labels])",
                        "ZO-federated, full model (FedKSeed)",
                        "first-order FedAvg");
        for (Row row : rows) {
            assertThat(row.n()).isEqualTo(task.test().size());
            assertThat(row.low()).isLessThanOrEqualTo(row.acc());
            assertThat(row.high()).isGreaterThanOrEqualTo(row.acc());
            assertThat(row.loss()).isPositive();
            assertThat(row.raw()).isBetween(0.0, 1.0);
            assertThat(row.labels()).isBetween(1, task.labelWords().size());
        }
        Row zero = rows.get(0);
        Row zo = rows.get(1);
        Row full = rows.get(2);
        Row fo = rows.get(3);
        // the loss is label-restricted: a random model cannot tell the labels apart, ln(labels) nats;
        // ZO must lower it
        assertThat(zero.loss()).isCloseTo(Math.log(task.labelWords().size()), org.assertj.core.data.Offset.offset(0.3));
        // the head rows' 2 x 6 steps at lr 3e-3 lower it by ~0.01 on this random model; a scope
        // that moved nothing would leave it exactly equal
        assertThat(zo.loss()).isLessThan(zero.loss());
        assertThat(full.loss()).isLessThan(zero.loss() - 0.02);
        assertThat(fo.loss()).isLessThan(zero.loss());
        assertThat(zero.up()).isZero();
        // 6 (seed index, g) pairs and the loss metric, never a tensor
        assertThat(zo.up()).isBetween(60L, 1024L);
        assertThat(full.up()).isBetween(60L, 1024L);
        assertThat(Files.readAllLines(CliFixtures.onlyRun(runs).resolve("zo-full-model/metrics.jsonl")))
                .hasSize(2);
        Path run = CliFixtures.onlyRun(runs);
        long params = dev.atelier.zo.model.CausalLm.load(model).parameterCount();
        assertThat(fo.up()).isEqualTo(4 * params);
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(lines).hasSize(2);
        JsonNode last = null;
        for (String line : lines) {
            last = json.readTree(line).path("eval");
            assertThat(last.path("test_accuracy_low").asDouble())
                    .isLessThanOrEqualTo(last.path("test_accuracy").asDouble());
            assertThat(last.path("test_accuracy_high").asDouble())
                    .isGreaterThanOrEqualTo(last.path("test_accuracy").asDouble());
            assertThat(last.path("wire_up_bytes_max").asDouble()).isBetween(60.0, 1024.0);
        }
        assertThat(last.path("test_loss").asDouble()).isCloseTo(zo.loss(), org.assertj.core.data.Offset.offset(1e-4));
        assertThat(Files.readAllLines(run.resolve("fo-metrics.jsonl"))).hasSize(2);
        assertThat(Files.readString(run.resolve("results.md")))
                .contains("| ZO-federated (head[labels]) |", "| ZO-federated, full model (FedKSeed) |");
        // the paired comparisons against zero-shot follow the table, the pass scorer's first
        assertThat(r.out())
                .containsPattern("ZO-federated \\(head\\[labels\\]\\) vs zero-shot base LM, uncalibrated \\(pass"
                        + " scorer\\): [+-]0\\.\\d{3} \\[")
                .containsPattern("ZO-federated, full model \\(FedKSeed\\) vs zero-shot base LM, calibrated: [+-]0\\.");
        assertThat(r.out()).contains("McNemar exact p = ");
    }
}
