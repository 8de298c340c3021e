package dev.atelier.transport.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumePointTest {
    @TempDir
    Path tmp;

    private static ParamSet weights(float v) {
        return ParamSet.of(Map.of("w", Tensor.f32(new long[] {2}, new float[] {v, v})));
    }

    @Test
    void aTruncatedLatestCheckpointResumesAfterThePreviousOneAndTrimsLaterMetrics() throws Exception {
        RunDirectory dir = new RunDirectory(tmp.resolve("run"));
        for (int round = 1; round <= 2; round++) {
            dir.writeCheckpoint("run", round, weights(round));
            dir.appendMetrics(new RoundRecord(round, 2, 2, List.of(), true, Map.of(), Map.of(), 1.0));
        }
        byte[] whole = Files.readAllBytes(dir.checkpoint(2));
        Files.write(dir.checkpoint(2), Arrays.copyOf(whole, whole.length / 2));

        // The workload is not consulted when a checkpoint is usable.
        ResumePoint start = ResumePoint.find(dir, null, null);

        assertThat(start.completed()).isEqualTo(1);
        assertThat(start.initial()).isEqualTo(weights(1));
        assertThat(start.trim()).isEqualTo(new RunDirectory.MetricsTrim(1, 1, 0));
        assertThat(dir.readMetrics()).extracting(RoundRecord::round).containsExactly(1);
    }
}
