package dev.atelier.zo.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.zo.alloc.AllocationProblem;
import dev.atelier.zo.alloc.BlockAllocator;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.HfConfigReader;
import dev.atelier.zo.model.LmConfig;
import dev.atelier.zo.model.RandomCheckpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MemoryModelTest {
    private static final RandomCheckpoint.Spec SPEC = new RandomCheckpoint.Spec(40, 16, 4, 4, 2, 4, 24, 16);

    @TempDir
    Path dir;

    private Path write(Family f, boolean tied) throws Exception {
        var shapes = RandomCheckpoint.shapes(f, SPEC, tied);
        return RandomCheckpoint.write(
                dir.resolve(f + "-" + tied),
                RandomCheckpoint.config(f, SPEC, tied),
                shapes,
                RandomCheckpoint.random(shapes, 1, 0.1));
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void residentWeightsAreWhatTheLoaderHoldsForEveryLowestBlock(Family f) throws Exception {
        for (boolean tied : new boolean[] {true, false}) {
            Path ckpt = write(f, tied);
            LmConfig c = HfConfigReader.read(ckpt.resolve("config.json"));
            assertThat(MemoryModel.fixedParams(c) + 4 * MemoryModel.blockParams(c))
                    .isEqualTo(c.parameterCount());
            for (int k = 0; k < 4; k++) {
                var active = new TreeSet<>(List.of(k, 3));
                var p = MemoryModel.PROTOCOL.predict(c, active, 2, 8, ClientMode.STREAMED_PREFIX);
                assertThat(p.residentWeights())
                        .as("%s tied=%s k=%d", f, tied, k)
                        .isEqualTo(4 * CausalLm.load(ckpt, k).parameterCount());
                assertThat(p.streamSlot()).isEqualTo(k == 0 ? 0 : 4 * MemoryModel.blockParams(c));
                var held = MemoryModel.PROTOCOL.predict(c, active, 2, 8, ClientMode.ACTIVE_ONLY);
                assertThat(held.residentWeights())
                        .as("%s tied=%s active=%s", f, tied, active)
                        .isEqualTo(4 * CausalLm.loadHeld(ckpt, active).parameterCount());
                assertThat(held.streamSlot()).isEqualTo(active.size() == 4 ? 0 : 4 * MemoryModel.blockParams(c));
                assertThat(MemoryModel.PROTOCOL
                                .predict(c, active, 2, 8, ClientMode.FULL)
                                .residentWeights())
                        .isEqualTo(4 * c.parameterCount());
            }
        }
    }

    @Test
    void theAllocatorsMemoryIsTheModelsPeakBoundForStreamedClients() throws Exception {
        Path ckpt = write(Family.GPT2, true);
        LmConfig c = HfConfigReader.read(ckpt.resolve("config.json"));
        var m = MemoryModel.PROTOCOL;
        long block = 4 * MemoryModel.blockParams(c);
        long fixed = m.fixedBytes(c, 2, 8);
        var problem = new AllocationProblem(
                List.of(m.client("a", fixed + 4 * block, 10, c, 2, 8), m.client("b", fixed + 2 * block, 10, c, 2, 8)),
                MemoryModel.blockCosts(c),
                0.5,
                0.1);
        var a = BlockAllocator.solve(problem, 0);
        for (var as : a.assigned()) {
            var predicted =
                    m.predict(c, as.blocks(), 2, 8, ClientMode.STREAMED_PREFIX).peak();
            assertThat(predicted).isLessThanOrEqualTo(as.memoryBytes()).isLessThanOrEqualTo(as.budgetBytes());
        }
        assertThat(a.blocksOf("b")).allMatch(b -> b >= 2);
    }

    @Test
    void eightStoresOnGpt2OfBudgetsSpanningFourTimesGetBlocksTheirBudgetsHold() throws Exception {
        // GPT-2 124M's config (no weights needed for the model), budgets 300 MiB .. 1200 MiB.
        var p = RandomCheckpoint.Preset.GPT2_124M;
        Path cfg = dir.resolve("gpt2-124m");
        java.nio.file.Files.createDirectories(cfg);
        java.nio.file.Files.writeString(
                cfg.resolve("config.json"),
                RandomCheckpoint.config(p.family, p.spec, p.tied).toString());
        LmConfig c = HfConfigReader.read(cfg.resolve("config.json"));
        var m = MemoryModel.PROTOCOL;
        List<dev.atelier.zo.alloc.ClientSpec> stores = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            stores.add(m.client("store" + i, (300L + 128L * i) << 20, 40 + 25L * i, c, 2, 32));
        }
        stores.add(m.client("kiosk", 200L << 20, 30, c, 2, 32));
        var a = BlockAllocator.solve(new AllocationProblem(stores, MemoryModel.blockCosts(c), 0.3, 0.1), 0);
        assertThat(a.exclusionOf("kiosk").orElseThrow().reason()).startsWith("budget 200.0 MiB is below");
        assertThat(a.assigned()).hasSize(8);
        long full =
                m.predict(c, new TreeSet<>(List.of(0)), 2, 32, ClientMode.FULL).peak();
        assertThat(full).isGreaterThan(300L << 20); // the smallest store cannot hold the whole model
        for (var as : a.assigned()) {
            long predicted =
                    m.predict(c, as.blocks(), 2, 32, ClientMode.STREAMED_PREFIX).peak();
            assertThat(predicted).isLessThanOrEqualTo(as.budgetBytes());
        }
        assertThat(a.blocksOf("store0").first()).isGreaterThan(6);
    }

    @Test
    void aChildJvmMeasuresAClientAndHoldsAtLeastItsWeights() throws Exception {
        Path ckpt = write(Family.GPT2, true);
        ProbeResult r = new ChildJvm(256L << 20, 120)
                .run(new ClientJob(ckpt, new TreeSet<>(List.of(2, 3)), 2, 8, 2, ClientMode.STREAMED_PREFIX, 3));
        LmConfig c = HfConfigReader.read(ckpt.resolve("config.json"));
        assertThat(r.residentModelBytes()).isEqualTo(4 * CausalLm.load(ckpt, 2).parameterCount());
        assertThat(r.fullModelBytes()).isEqualTo(4 * c.parameterCount());
        assertThat(r.baselineRss()).isGreaterThan(8L << 20);
        assertThat(r.stepPeak()).isGreaterThan(r.baselineRss());
        assertThat(r.measuredPeak()).isEqualTo(Math.max(r.loadPeak(), r.stepPeak()) - r.baselineRss());
        // the warm-up (toy steps, young generation touched) is in the baseline, not in the peak
        assertThat(r.coldBaselineRss()).isPositive().isLessThan(r.baselineRss());
        assertThat(r.runtimeGrowth()).isNotNegative();
        assertThat(r.lastLoss()).isBetween(Math.log(40) - 2, Math.log(40) + 2);
        assertThat(ProbeResult.fromJson(r.toJson())).isEqualTo(r);
    }
}
