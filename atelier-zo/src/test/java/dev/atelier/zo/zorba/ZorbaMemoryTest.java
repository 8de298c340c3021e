package dev.atelier.zo.zorba;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.zo.alloc.Residency;
import dev.atelier.zo.memory.ClientJob;
import dev.atelier.zo.memory.ClientMode;
import dev.atelier.zo.memory.MemoryModel;
import dev.atelier.zo.model.HfConfigReader;
import dev.atelier.zo.model.LmConfig;
import dev.atelier.zo.model.RandomCheckpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's large-model comparison with scripted peaks (no child JVMs, no weights needed). */
class ZorbaMemoryTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void everyAssignedSetIsMeasuredOnceInActiveOnlyModeAndTheRatiosUseTheLargest() throws Exception {
        var p = RandomCheckpoint.Preset.GPT2_124M;
        Files.writeString(
                dir.resolve("config.json"),
                RandomCheckpoint.config(p.family, p.spec, p.tied).toString());
        LmConfig cfg = HfConfigReader.read(dir.resolve("config.json"));
        List<ClientJob> zoJobs = new ArrayList<>();
        ZorbaDemo.Peaks peaks = new ZorbaDemo.Peaks() {
            @Override
            public long firstOrder(Path modelDir, int rows, int seqLen) {
                return 2048 * MIB;
            }

            @Override
            public long zo(ClientJob job) {
                zoJobs.add(job);
                return (job.mode() == ClientMode.FULL
                                ? 480
                                : 200 + 30L * job.activeBlocks().size())
                        * MIB;
            }
        };
        List<Long> examples = List.of(40L, 10L, 25L, 5L, 60L, 15L, 30L, 20L);
        var out = new ByteArrayOutputStream();
        ZorbaMemory.Result r = ZorbaMemory.run(
                dir, examples, 2, 32, 0.5, 0.1, peaks, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(r.firstOrderPeak()).isEqualTo(2048 * MIB);
        assertThat(r.fullZoPeak()).isEqualTo(480 * MIB);
        assertThat(zoJobs.get(0).mode()).isEqualTo(ClientMode.FULL);
        List<ClientJob> sets = zoJobs.subList(1, zoJobs.size());
        assertThat(sets).allMatch(j -> j.mode() == ClientMode.ACTIVE_ONLY);
        assertThat(sets.stream().map(ClientJob::activeBlocks).distinct().count())
                .as("each distinct set once")
                .isEqualTo(sets.size());
        long[] budget = ZorbaDemo.budgets(
                8, 2048 * MIB, MemoryModel.PROTOCOL.fixedBytes(cfg, 2, 32), MemoryModel.blockCosts(cfg));
        long max = 0;
        for (int i = 0; i < 8; i++) {
            ZorbaMemory.Store s = r.stores().get(i);
            assertThat(s.budgetBytes()).isEqualTo(budget[i]);
            assertThat(s.blocks()).isNotEmpty();
            assertThat(s.expected())
                    .isEqualTo(MemoryModel.PROTOCOL.expected(cfg, s.blocks(), 2, 32, ClientMode.ACTIVE_ONLY))
                    .isLessThanOrEqualTo(MemoryModel.PROTOCOL.bound(cfg, s.blocks(), 2, 32, Residency.ACTIVE))
                    .isLessThanOrEqualTo(s.budgetBytes());
            assertThat(s.measured()).isEqualTo((200 + 30L * s.blocks().size()) * MIB);
            max = Math.max(max, s.measured());
        }
        assertThat(r.maxZorbaPeak()).isEqualTo(max);
        assertThat(r.format())
                .contains(String.format(
                        java.util.Locale.ROOT, "/ full-model ZO client: %.3f (goal < 1)", max / (480.0 * MIB)));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("first-order client 2048.0 MiB");
    }
}
