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

    /** The default base LM's shape (vocab 4096, hidden 128, 2 blocks of MLP 512, 64 positions). */
    private static final RandomCheckpoint.Spec BASE_LM = new RandomCheckpoint.Spec(4096, 128, 2, 4, 4, 32, 512, 64);

    private static LmConfig config(RandomCheckpoint.Spec spec) {
        return HfConfigReader.parse(RandomCheckpoint.config(Family.GPT2, spec, true));
    }

    @Test
    void everyPeakCountsTheYoungGenerationAndOneRowsLiveSetAndSoDoesThePlannersFixedPart() {
        var m = MemoryModel.PROTOCOL;
        assertThat(m.youngResidentBytes()).isEqualTo((32L << 20) * 9 / 10); // eden 25.6 + one survivor 3.2 MiB
        LmConfig c = config(BASE_LM);
        var all = new TreeSet<>(List.of(0, 1));
        var p = m.predict(c, all, 8, 64, ClientMode.FULL);
        long live = MemoryModel.rowLiveBytes(c, 64, 0);
        assertThat(live).isEqualTo(4L * 64 * (4096 + 128 + 2 * 2 * 128 + 2 * 512 + 4 * 128));
        assertThat(p.young()).isEqualTo(m.youngResidentBytes());
        assertThat(p.activations()).isEqualTo(live); // not "beyond the young generation": counted once
        assertThat(p.peak()).isEqualTo(4 * c.parameterCount() + m.youngResidentBytes() + live + m.runtimeBytes());
        // no small-model constant: the planner's fixed part is the same terms, with slot and cache
        long block = 4 * MemoryModel.blockParams(c);
        assertThat(m.fixedBytes(c, 8, 64))
                .isEqualTo(4 * MemoryModel.fixedParams(c)
                        + block
                        + 4L * 8 * 64 * 128
                        + m.youngResidentBytes()
                        + live
                        + m.runtimeBytes());
        for (var active : List.of(new TreeSet<>(List.of(0)), new TreeSet<>(List.of(1)), all)) {
            for (var r : dev.atelier.zo.alloc.Residency.values()) {
                long expected = m.expected(c, active, 8, 64, ClientMode.holding(r));
                assertThat(m.bound(c, active, 8, 64, r))
                        .as("%s %s", active, r)
                        .isGreaterThanOrEqualTo(expected)
                        .isLessThanOrEqualTo(expected + block + 4L * 8 * 64 * 128 + live);
            }
        }
    }

    /** One measured row of docs/zo.md's validation (session 9, run 2; rows 2 × 32 tokens). */
    private record Measured(RandomCheckpoint.Spec spec, ClientMode mode, List<Integer> blocks, double mib) {}

    @Test
    void theValidatedPeaksOfEveryModelSizeArePredictedWithin15Percent() {
        var p = RandomCheckpoint.Preset.GPT2_124M;
        List<Measured> rows = List.of(
                new Measured(BASE_LM, ClientMode.FULL, List.of(1), 48.0),
                new Measured(BASE_LM, ClientMode.STREAMED_PREFIX, List.of(1), 46.3),
                new Measured(BASE_LM, ClientMode.ACTIVE_ONLY, List.of(0), 46.6),
                new Measured(MemoryBench.SMALL, ClientMode.FULL, List.of(5), 177.0),
                new Measured(MemoryBench.SMALL, ClientMode.STREAMED_PREFIX, List.of(5), 134.6),
                new Measured(MemoryBench.SMALL, ClientMode.ACTIVE_ONLY, List.of(0, 5), 149.7),
                new Measured(p.spec, ClientMode.FULL, List.of(11), 525.1),
                new Measured(p.spec, ClientMode.STREAMED_PREFIX, List.of(4), 454.3),
                new Measured(p.spec, ClientMode.ACTIVE_ONLY, List.of(0, 11), 308.0));
        for (Measured m : rows) {
            double predicted = MemoryModel.PROTOCOL
                            .predict(config(m.spec()), new TreeSet<>(m.blocks()), 2, 32, m.mode())
                            .peak()
                    / (double) (1 << 20);
            assertThat(predicted)
                    .as("%s %s %s", m.spec(), m.mode(), m.blocks())
                    .isBetween(0.85 * m.mib(), 1.15 * m.mib());
        }
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
        // the warm-up (toy steps, young generation touched) comes after the idle baseline: it is the
        // client's cost, so even this 2 KB model's peak is about the young generation's usable part
        assertThat(r.warmedRss()).isGreaterThan(r.baselineRss());
        long predicted = MemoryModel.PROTOCOL
                .predict(c, new TreeSet<>(List.of(2, 3)), 2, 8, ClientMode.STREAMED_PREFIX)
                .peak();
        // never above the prediction's band (the planner's bound stays safe); the 15% agreement itself
        // is checked on real checkpoints (recorded rows above, MemoryBench): on this 2 KB toy model the
        // runtime term is larger than what a toy's JIT work costs (CI measured 35.8 MiB for 44.8 predicted)
        assertThat((double) r.measuredPeak())
                .as("measured %d vs predicted %d", r.measuredPeak(), predicted)
                .isBetween((double) r.residentModelBytes(), predicted * 1.15);
        assertThat(r.runtimeGrowth()).isNotNegative();
        assertThat(r.lastLoss()).isBetween(Math.log(40) - 2, Math.log(40) + 2);
        assertThat(ProbeResult.fromJson(r.toJson())).isEqualTo(r);
    }
}
