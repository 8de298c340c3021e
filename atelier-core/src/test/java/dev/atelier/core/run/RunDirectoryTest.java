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

    @Test
    void aTruncatedLatestCheckpointFallsBackToThePreviousRoundWithAWarningNamingIt() throws Exception {
        RunDirectory dir = new RunDirectory(tmp.resolve("t"));
        dir.writeCheckpoint("r", 1, Params.vector(1, 2), Params.vector(10));
        dir.writeCheckpoint("r", 2, Params.vector(3, 4), Params.vector(20));
        Path second = dir.checkpoint(2);
        byte[] whole = Files.readAllBytes(second);
        Files.write(second, java.util.Arrays.copyOf(whole, whole.length - 3));
        List<String> warnings = new java.util.ArrayList<>();

        var latest = dir.latestCheckpoint(warnings::add).orElseThrow();

        assertThat(latest.getKey()).isEqualTo(1);
        assertThat(latest.getValue()).isEqualTo(Params.vector(1, 2));
        assertThat(dir.readServerState(1)).contains(Params.vector(10));
        assertThat(warnings).first().asString().contains("skipping unreadable checkpoint " + second);
        assertThat(warnings).allMatch(w -> !w.contains("\n"));
    }

    @Test
    void aTruncatedServerStateSkipsItsRoundAsAUnit() throws Exception {
        RunDirectory dir = new RunDirectory(tmp.resolve("s"));
        dir.writeCheckpoint("r", 1, Params.vector(1), Params.vector(10));
        dir.writeCheckpoint("r", 2, Params.vector(2), Params.vector(20));
        Files.write(dir.serverState(2), new byte[] {1, 2, 3});
        List<String> warnings = new java.util.ArrayList<>();
        assertThat(dir.latestCheckpoint(warnings::add).orElseThrow().getKey()).isEqualTo(1);
        assertThat(warnings).first().asString().contains(dir.serverState(2).toString());
    }

    @Test
    void noUsableCheckpointFailsNamingTheFilesToRemove() throws Exception {
        RunDirectory dir = new RunDirectory(tmp.resolve("n"));
        dir.writeCheckpoint("r", 1, Params.vector(1), Params.vector(10));
        Files.write(dir.checkpoint(1), new byte[0]);
        assertThatThrownBy(() -> dir.latestCheckpoint(w -> {}))
                .hasMessage("no usable checkpoint in " + dir.checkpointDir() + ": remove " + dir.checkpoint(1) + " "
                        + dir.serverState(1) + " to start the run again from round 1");
    }

    @Test
    void checkpointWritesLeaveNoTemporaryFiles() throws Exception {
        RunDirectory dir = new RunDirectory(tmp.resolve("w"));
        dir.writeCheckpoint("r", 1, Params.vector(1), Params.vector(10));
        dir.writeCheckpoint("r", 1, Params.vector(2), Params.vector(20));
        try (var files = Files.list(dir.checkpointDir())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("round-0001.safetensors", "round-0001.server.safetensors");
        }
        assertThat(dir.latestCheckpoint().orElseThrow().getValue()).isEqualTo(Params.vector(2));
    }
}
