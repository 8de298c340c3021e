package dev.atelier.zo.zorba;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.zo.compare.Comparison;
import dev.atelier.zo.fed.BlockLayout;
import dev.atelier.zo.fed.ScalarPairs;
import dev.atelier.zo.fed.ZoFedSettings;
import dev.atelier.zo.memory.MemoryModel;
import dev.atelier.zo.model.HfConfigReader;
import dev.atelier.zo.model.LmConfig;
import dev.atelier.zo.model.RandomCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's rows: comparable settings, ZorBA on the label rows, and when the first-stage row is not re-run. */
class ZorbaDemoSettingsTest {
    @TempDir
    Path dir;

    @Test
    void everyRowRunsTheSameRoundsAndZorbaTrainsTheLabelRowsBesidesItsBlocks() {
        ZorbaDemo.Settings s =
                ZorbaDemo.Settings.defaults(8, ZorbaDemo.Settings.ROUNDS, ZorbaDemo.Settings.ZO_STEPS, 0.5, 0.1, 42);
        Comparison.Settings h = s.harness();
        // one rounds field drives first-order FedAvg, full-model ZO and both ZorBA rows
        assertThat(h.rounds()).isEqualTo(5);
        assertThat(h.fullModel()).isEqualTo(ZorbaDemo.Settings.FULL_MODEL);
        assertThat(h.fullModel().steps()).isEqualTo(8);
        assertThat(h.zoTrainable()).isEqualTo("head[labels]");
        assertThat(h.zoBatch()).isEqualTo(16);
        assertThat(h.zoLr()).isEqualTo(1e-2);
        // a ZorBA reply stays under the 1 KiB goal
        assertThat(ScalarPairs.encode(java.util.Collections.nCopies(h.zoSteps(), new ScalarPairs.Pair(1, 0.5))).length)
                .isEqualTo(3 + 10 * h.zoSteps())
                .isLessThanOrEqualTo(1024);
        assertThat(s.withZo(8, 2e-3).harness().zoTrainable()).isEqualTo("head[labels]");

        ZoFedSettings zorba = ZoFedSettings.read(ZorbaDemo.trainConfig(
                new Comparison.ZoRun(h.zoSteps(), h.zoBatch(), h.zoLr(), 1, 1), 1e-3, "", "wte.weight[3-28]"));
        assertThat(zorba.scope().all()).isTrue();
        assertThat(zorba.updateScope().always().rows("wte.weight")).hasSize(26).startsWith(3);
        ZoFedSettings full = ZoFedSettings.read(ZorbaDemo.trainConfig(Comparison.FULL_MODEL, 1e-3, "", ""));
        assertThat(full.updateScope()).isEqualTo(dev.atelier.zo.fed.UpdateScope.BLOCKS_ONLY);
        assertThat(full.lrAt(2)).isEqualTo(1e-3);
    }

    @Test
    void theFirstStageRowIsReusedOnlyWhenItPlansEveryStoreAlikeInEveryRound() throws Exception {
        var p = RandomCheckpoint.Preset.GPT2_124M;
        LmConfig cfg = HfConfigReader.parse(RandomCheckpoint.config(p.family, p.spec, p.tied));
        BlockLayout layout = new BlockLayout(2, 12, 12);
        long fixed = MemoryModel.PROTOCOL.fixedBytes(cfg, 2, 32);
        long block = MemoryModel.blockCosts(cfg).residentBytes()[0];
        List<String> ids = List.of("s0", "s1", "s2");
        Map<String, Declared> table = new HashMap<>();
        table.put("s0", new Declared(fixed + 12 * block, 50));
        table.put("s1", new Declared(fixed + 6 * block, 30));
        table.put("s2", new Declared(fixed + 2 * block, 20));
        ZorbaPlanner ran = planner(cfg, layout, true, table, "ran");
        List<dev.atelier.core.message.NodeInfo> nodes =
                ids.stream().map(dev.atelier.core.message.NodeInfo::of).toList();
        for (int r = 1; r <= 3; r++) {
            ran.beginRound(r, nodes);
        }
        assertThat(ZoRows.plansAlike(null, planner(cfg, layout, false, table, "a"), ids, 3))
                .isFalse();
        assertThat(ZoRows.plansAlike(ran, planner(cfg, layout, true, table, "b"), ids, 3))
                .isTrue();
        assertThat(ZoRows.plansAlike(ran, planner(cfg, layout, true, table, "c"), ids, 2))
                .as("a different number of rounds")
                .isFalse();
        // s2's budget now holds no block: left out, where it trained before
        Map<String, Declared> smaller = new HashMap<>(table);
        smaller.put("s2", new Declared(fixed + block - 1, 20));
        assertThat(ran.history()).hasSize(3);
        assertThat(ran.history().get(0).blocksOf("s2")).isNotEmpty();
        assertThat(ZoRows.plansAlike(ran, planner(cfg, layout, true, smaller, "d"), ids, 3))
                .isFalse();
        // the planner checked this way logged its own rounds
        ZorbaPlanner other = planner(cfg, layout, false, table, "e");
        ZoRows.plansAlike(ran, other, ids, 3);
        assertThat(other.history()).hasSize(3);
        assertThat(Files.readAllLines(dir.resolve("e.jsonl"))).hasSize(3);
    }

    private ZorbaPlanner planner(
            LmConfig cfg, BlockLayout layout, boolean lex, Map<String, Declared> table, String log) {
        return ZorbaPlanner.simulated(cfg, layout, 2, 32, 0.5, 0.1, lex, 0, table, dir.resolve(log + ".jsonl"));
    }
}
