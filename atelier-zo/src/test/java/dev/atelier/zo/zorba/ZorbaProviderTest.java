package dev.atelier.zo.zorba;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.StrategyRegistry;
import dev.atelier.zo.model.Family;
import dev.atelier.zo.model.RandomCheckpoint;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a deployed node declares and how the coordinator's {@code zorba} strategy is made from it. */
class ZorbaProviderTest {
    @TempDir
    Path tmp;

    @Test
    void byteSizesParseWithBinaryAndDecimalUnitsAndRefuseNonsense() {
        assertThat(Declared.parseBytes("2GiB")).isEqualTo(2L << 30);
        assertThat(Declared.parseBytes("512 MiB")).isEqualTo(512L << 20);
        assertThat(Declared.parseBytes("1.5g")).isEqualTo(3L << 29);
        assertThat(Declared.parseBytes("3GB")).isEqualTo(3_000_000_000L);
        assertThat(Declared.parseBytes("4096")).isEqualTo(4096);
        assertThatThrownBy(() -> Declared.parseBytes("lots")).hasMessageContaining("not a byte size");
        assertThatThrownBy(() -> Declared.parseBytes("2 parsecs")).hasMessageContaining("unknown byte unit");
        assertThatThrownBy(() -> Declared.parseBytes("99999999TiB")).hasMessageContaining("out of range");
    }

    @Test
    void aNodeDeclarationIsReadStrictlyWithAHintWhenMissing() {
        Declared d = Declared.of(new NodeInfo("a", Map.of(Declared.MEMORY_BUDGET, "2147483648", "num_examples", "40")));
        assertThat(d).isEqualTo(new Declared(2L << 30, 40));
        assertThat(Declared.of(new NodeInfo("a", d.properties()))).isEqualTo(d);
        assertThatThrownBy(() -> Declared.of(new NodeInfo("b", Map.of("num_examples", "4"))))
                .hasMessageContaining("declared no " + Declared.MEMORY_BUDGET)
                .hasMessageContaining("--memory-budget");
        assertThatThrownBy(
                        () -> Declared.of(new NodeInfo("c", Map.of(Declared.MEMORY_BUDGET, "-1", "num_examples", "4"))))
                .hasMessageContaining("not a non-negative integer");
    }

    @Test
    void theRegistryMakesZorbaFromTheTrainConfigsModelFolder() throws Exception {
        Path model = tmp.resolve("m");
        var spec = new RandomCheckpoint.Spec(48, 16, 3, 4, 2, 4, 32, 32);
        var shapes = RandomCheckpoint.shapes(Family.GPT2, spec, true);
        RandomCheckpoint.write(
                model,
                RandomCheckpoint.config(Family.GPT2, spec, true),
                shapes,
                RandomCheckpoint.random(shapes, 1, 0.1));
        var s = StrategyRegistry.parse("zorba:k=64,lex=0")
                .create(Sampling.all(2), Config.of(Map.of(ZorbaProvider.MODEL, model.toString())));
        assertThat(s.name()).isEqualTo("zorba");
        assertThatThrownBy(() -> StrategyRegistry.parse("zorba").create(Sampling.all(2), Config.empty()))
                .hasMessageContaining("train." + ZorbaProvider.MODEL);
        assertThatThrownBy(() -> StrategyRegistry.parse("zorba:floor=0")).hasMessageContaining("floor");
    }
}
