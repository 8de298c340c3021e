package dev.atelier.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Failure;
import dev.atelier.core.testing.Params;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void latestCheckpointOrdersRoundsNumerically() throws Exception {
        RunDirectory dir = new RunDirectory(tmp);
        assertThat(dir.latestCheckpoint()).isEmpty();
        dir.writeCheckpoint("r", 9999, Params.vector(1));
        dir.writeCheckpoint("r", 10000, Params.vector(2));
        dir.writeCheckpoint("r", 2, Params.vector(3));
        Files.writeString(dir.checkpointDir().resolve("round-99999.safetensors.partial"), "junk");
        var latest = dir.latestCheckpoint().orElseThrow();
        assertThat(latest.getKey()).isEqualTo(10000);
        assertThat(latest.getValue()).isEqualTo(Params.vector(2));
        assertThat(dir.checkpoint(7).getFileName().toString()).isEqualTo("round-0007.safetensors");
    }

    @Test
    void metricsLinesRoundTrip() throws Exception {
        RunDirectory dir = new RunDirectory(tmp.resolve("m"));
        assertThat(dir.readMetrics()).isEmpty();
        RoundRecord first = new RoundRecord(
                1,
                3,
                2,
                List.of(new Failure("n", Failure.Kind.TIMEOUT, null)),
                true,
                Map.of("loss", 0.5),
                Map.of(),
                1.23456);
        RoundRecord second = new RoundRecord(2, 3, 0, List.of(), false, Map.of(), Map.of("acc", 0.25), 0.1);
        dir.appendMetrics(first);
        dir.appendMetrics(second);
        assertThat(Files.readAllLines(dir.metricsFile())).hasSize(2).allMatch(l -> l.startsWith("{\"round\":"));
        List<RoundRecord> lines = dir.readMetrics();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).seconds()).isEqualTo(1.235);
        assertThat(lines.get(0).failures())
                .containsExactly(new Failure("n", Failure.Kind.TIMEOUT, "(no reason given)"));
        assertThat(lines.get(1)).isEqualTo(second);
    }

    @Test
    void resumeKeepsRecordsUpToTheCheckpointAndDropsATornLine() throws Exception {
        RunDirectory dir = new RunDirectory(tmp.resolve("r"));
        assertThat(dir.keepMetricsUpTo(0)).isEqualTo(new RunDirectory.MetricsTrim(0, 0, 0));
        for (int round = 1; round <= 3; round++) {
            dir.appendMetrics(new RoundRecord(round, 2, 2, List.of(), true, Map.of(), Map.of(), 1.0));
        }
        String before = Files.readString(dir.metricsFile());
        assertThat(dir.keepMetricsUpTo(3)).isEqualTo(new RunDirectory.MetricsTrim(3, 0, 0));
        assertThat(Files.readString(dir.metricsFile())).isEqualTo(before);

        Files.writeString(dir.metricsFile(), "{\"round\":4,\"sampl", java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(dir::readMetrics).hasMessageContaining("metrics.jsonl line 4: not a round record");
        assertThat(dir.keepMetricsUpTo(2)).isEqualTo(new RunDirectory.MetricsTrim(2, 1, 1));
        assertThat(dir.readMetrics()).extracting(RoundRecord::round).containsExactly(1, 2);
        assertThat(Files.exists(dir.path().resolve("metrics.jsonl.partial"))).isFalse();
    }
}
