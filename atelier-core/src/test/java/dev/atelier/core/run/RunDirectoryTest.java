package dev.atelier.core.run;

import static org.assertj.core.api.Assertions.assertThat;

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
        dir.appendMetrics(new RoundRecord(
                1,
                3,
                2,
                List.of(new Failure("n", Failure.Kind.TIMEOUT, null)),
                true,
                Map.of("loss", 0.5),
                Map.of(),
                1.23456));
        dir.appendMetrics(new RoundRecord(2, 3, 0, List.of(), false, Map.of(), Map.of("acc", 0.25), 0.1));
        List<Map<String, Object>> lines = dir.readMetrics();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .containsEntry("round", 1)
                .containsEntry("seconds", 1.235)
                .containsEntry("aggregated", true);
        assertThat(lines.get(0).get("failures").toString()).contains("TIMEOUT").contains("(no reason given)");
        assertThat(lines.get(1)).containsEntry("aggregated", false).containsEntry("eval", Map.of("acc", 0.25));
    }
}
