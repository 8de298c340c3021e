package dev.atelier.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.testing.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StrategyTest {
    private static List<NodeInfo> nodes(int n) {
        return IntStream.range(0, n).mapToObj(i -> NodeInfo.of("node-" + i)).toList();
    }

    private static List<String> sampled(Strategy s, int round, long seed, List<NodeInfo> available) {
        return s.configure("run", round, seed, available, Params.small()).stream()
                .map(Instruction::nodeId)
                .toList();
    }

    @Test
    void samplingIsSeededAndIndependentOfArrivalOrder() {
        FedAvg s = new FedAvg(new Sampling(0.3, 10, 2, 0.5), Config.empty());
        List<NodeInfo> shuffled = new ArrayList<>(nodes(10));
        java.util.Collections.reverse(shuffled);
        assertThat(sampled(s, 3, 42, nodes(10)))
                .hasSize(3)
                .doesNotHaveDuplicates()
                .isEqualTo(sampled(s, 3, 42, shuffled));
        // Different rounds draw different subsets (not guaranteed for every pair, but for these seeds).
        List<List<String>> perRound = IntStream.rangeClosed(1, 5)
                .mapToObj(r -> sampled(s, r, 42, nodes(10)))
                .toList();
        assertThat(perRound.stream().distinct().count()).isGreaterThan(1);
    }

    @Test
    void sampleSizeRespectsFractionMinimumAndAvailability() {
        Sampling s = new Sampling(0.1, 5, 3, 0.5);
        assertThat(s.sampleSize(100)).isEqualTo(10);
        assertThat(s.sampleSize(10)).isEqualTo(3);
        assertThat(s.sampleSize(2)).isEqualTo(2);
        assertThat(new FedAvg(s, Config.empty()).configure("r", 1, 1, List.of(), Params.small()))
                .isEmpty();
    }

    @Test
    void instructionsAreTrainTasksWithRoundAndParams() {
        List<Instruction> ins = new FedAvg(Sampling.all(3), Config.empty().with(TrainKeys.LOCAL_STEPS, 5))
                .configure("run-1", 2, 0, nodes(3), Params.small());
        assertThat(ins).hasSize(3).allSatisfy(i -> {
            assertThat(i.kind()).isEqualTo(TaskKind.TRAIN);
            assertThat(i.runId()).isEqualTo("run-1");
            assertThat(i.round()).isEqualTo(2);
            assertThat(i.config().getInt(TrainKeys.ROUND, 0)).isEqualTo(2);
            assertThat(i.config().getInt(TrainKeys.LOCAL_STEPS, 0)).isEqualTo(5);
            assertThat(i.params()).isEqualTo(Params.small());
        });
    }

    @Test
    void samplingAndStrategyArgumentsAreValidated() {
        assertThatThrownBy(() -> new Sampling(0, 1, 1, 0.5)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> new Sampling(1, 2, 3, 0.5)).hasMessageContaining("cannot exceed");
        assertThatThrownBy(() -> new Sampling(1, 2, 1, 1.5)).hasMessageContaining("maxFailureFraction");
        assertThatThrownBy(() -> new FedAvg(null, Config.empty()))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("sampling");
        assertThatThrownBy(() -> new FedAvg(Sampling.all(1), null)).isInstanceOf(NullPointerException.class);
    }
}
