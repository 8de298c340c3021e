package dev.atelier.zo.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.RandomCheckpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading an F32 checkpoint costs its weights once, not twice: the loader reads tensors instead
 * of copying them out of a memory map whose pages would stay resident until a GC (measured before
 * the change: a load peak of twice the weights). Measured in a child JVM by the memory protocol.
 */
class LoadPeakTest {
    @TempDir
    Path dir;

    @Test
    void theLoadPeakStaysWellBelowTwiceTheWeights() throws Exception {
        // 16384 × 512 embedding (32 MiB, larger than the young generation) and 2 blocks: 61 MB.
        var spec = new RandomCheckpoint.Spec(16384, 512, 2, 8, 8, 64, 2048, 1024);
        var shapes = RandomCheckpoint.shapes(Family.GPT2, spec, true);
        Path ckpt = RandomCheckpoint.write(
                dir.resolve("m"),
                RandomCheckpoint.config(Family.GPT2, spec, true),
                shapes,
                RandomCheckpoint.random(shapes, 3, 0.02));
        ProbeResult r = new ChildJvm(512L << 20, 300)
                .run(new ClientJob(ckpt, new TreeSet<>(List.of(1)), 1, 8, 1, ClientMode.FULL, 1));
        long weights = r.fullModelBytes();
        assertThat(weights).isGreaterThan(60_000_000L);
        // the load alone: above the RSS just before it (the warmed engine; eden and JIT are resident)
        long load = r.loadPeak() - r.warmedRss();
        assertThat(load).isGreaterThanOrEqualTo(weights).isLessThan(weights * 14 / 10);
    }
}
