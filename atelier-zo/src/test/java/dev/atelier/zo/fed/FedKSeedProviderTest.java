package dev.atelier.zo.fed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Config;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.StrategyRegistry;
import dev.atelier.core.strategy.StrategySpec;
import dev.atelier.core.workload.WorkloadRegistry;
import org.junit.jupiter.api.Test;

/** fedkseed and zo are found by name through META-INF/services, like the built-in ones. */
class FedKSeedProviderTest {
    @Test
    void fedkseedParsesLikeABuiltInStrategy() {
        assertThat(StrategyRegistry.names()).endsWith("fedkseed", "zorba").contains("fedavg");
        assertThat(StrategyRegistry.accepted())
                .endsWith(" | fedkseed[:k=1024] | zorba[:k=1024,floor=0.5,eps=0.1,lex=1]");
        StrategySpec spec = StrategyRegistry.parse(" FedKSeed : k = 4096 ");
        assertThat(spec.text()).isEqualTo("fedkseed:k=4096");
        assertThat(StrategyRegistry.parse(spec.text())).isEqualTo(spec);
        FedKSeed s = (FedKSeed) StrategyRegistry.parse("fedkseed").create(Sampling.all(2), Config.empty());
        assertThat(s.k()).isEqualTo(1024);
        assertThat(s.settings()).isEqualTo(ZoFedSettings.read(Config.empty()));
        assertThat(s.holdsEveryReply()).isFalse();
        assertThat(WorkloadRegistry.get("zo")).isInstanceOf(ZoProvider.class);
    }

    @Test
    void badSpecsAreRefusedWithOneLine() {
        assertThatThrownBy(() -> StrategyRegistry.parse("fedkseed:k=70000"))
                .hasMessage("strategy 'fedkseed:k=70000': k must be an integer in [1, 65536], got '70000';"
                        + " fedkseed accepts k (an integer in [1, 65536], default 1024)");
        assertThatThrownBy(() -> StrategyRegistry.parse("fedkseed:k=8")
                        .create(Sampling.all(2), Config.of(java.util.Map.of("local_steps", 9))))
                .hasMessageContaining("local_steps 9 exceeds the seed pool k = 8");
    }
}
