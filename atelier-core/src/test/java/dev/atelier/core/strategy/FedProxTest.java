package dev.atelier.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.aggregate.WeightedMeanAggregator;
import dev.atelier.core.message.Config;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.testing.Params;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FedProxTest {
    private static final List<NodeInfo> NODES = List.of(NodeInfo.of("a"), NodeInfo.of("b"), NodeInfo.of("c"));
    private final Config base = Config.of(Map.of(TrainKeys.LEARNING_RATE, 0.01));

    @Test
    void everyTrainInstructionCarriesMuAndTheBaseConfig() {
        FedProx prox = new FedProx(Sampling.all(3), base, 0.25);
        List<Instruction> ins = prox.configure("run", 4, 7L, NODES, Params.small());
        assertThat(ins).hasSize(3).allSatisfy(i -> {
            assertThat(i.config().getDouble(TrainKeys.PROXIMAL_MU, -1)).isEqualTo(0.25);
            assertThat(i.config().getInt(TrainKeys.ROUND, -1)).isEqualTo(4);
            assertThat(i.config().getDouble(TrainKeys.LEARNING_RATE, -1)).isEqualTo(0.01);
            assertThat(i.params()).isEqualTo(Params.small());
        });
        assertThat(base.has(TrainKeys.PROXIMAL_MU))
                .as("caller's config is not mutated")
                .isFalse();
        assertThat(prox.name()).isEqualTo("fedprox");
        assertThat(prox.newAggregator(1)).isInstanceOf(WeightedMeanAggregator.class);
    }

    @Test
    void plainFedAvgSendsNoMu() {
        List<Instruction> ins = new FedAvg(Sampling.all(3), base).configure("run", 1, 7L, NODES, Params.small());
        assertThat(ins)
                .allSatisfy(
                        i -> assertThat(i.config().has(TrainKeys.PROXIMAL_MU)).isFalse());
    }

    @Test
    void muFromConfig() {
        FedProx prox = FedProx.fromConfig(Sampling.all(3), base.with(TrainKeys.PROXIMAL_MU, "0.5"));
        assertThat(prox.mu()).isEqualTo(0.5);
        assertThatThrownBy(() -> FedProx.fromConfig(Sampling.all(3), base)).hasMessageContaining(TrainKeys.PROXIMAL_MU);
        assertThatThrownBy(() -> FedProx.fromConfig(Sampling.all(3), base.with(TrainKeys.PROXIMAL_MU, "lots")))
                .hasMessageContaining("'" + TrainKeys.PROXIMAL_MU + "'");
    }

    @Test
    void invalidOrContradictoryMuIsRejected() {
        assertThatThrownBy(() -> new FedProx(Sampling.all(3), base, -0.1)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> new FedProx(Sampling.all(3), base, Double.NaN)).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> new FedProx(Sampling.all(3), base.with(TrainKeys.PROXIMAL_MU, 0.1), 0.2))
                .hasMessageContaining("contradicts");
        assertThat(new FedProx(Sampling.all(3), base.with(TrainKeys.PROXIMAL_MU, 0.1), 0.1).mu())
                .isEqualTo(0.1);
    }
}
