package dev.atelier.core.privacy.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.testing.Params;
import dev.atelier.core.testing.Workloads;
import dev.atelier.core.util.Cancellation;
import dev.atelier.core.workload.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node side on its own: what passes through, what never leaves, what it refuses. */
class SecAggNodeTest {
    private final Node node = new Node("a", List.of(new SecAggNode()), Workloads.shift(1, 5));

    private static Instruction train(Config c) {
        return Instruction.train("r", 1, "a", c, Params.small());
    }

    @Test
    void plainInstructionsPassThroughUnchanged() throws Exception {
        Reply r = node.handle(train(Config.empty()), Cancellation.none());
        assertThat(r.params()).isEqualTo(Params.map(Params.small(), x -> x + 1));
    }

    @Test
    void aSecAggTrainReplyCarriesCountsAndMetricsButNoParameters() throws Exception {
        Reply r = node.handle(train(Config.empty().with(SecAggKeys.TRAIN, true)), Cancellation.none());
        assertThat(r.params().isEmpty()).isTrue();
        assertThat(r.numExamples()).isEqualTo(5);
        assertThat(r.metrics()).containsEntry("loss", 1.0);
    }

    @Test
    void inADpRoundTheCountIsCoarsenedAndTheMetricsAreDropped() throws Exception {
        Reply r = node.handle(
                train(Config.empty().with(SecAggKeys.TRAIN, true).with(SecAggKeys.L2_CLIP, 0.5)), Cancellation.none());
        assertThat(r.params().isEmpty()).isTrue();
        assertThat(r.numExamples()).isEqualTo(1);
        assertThat(r.metrics()).isEmpty();
    }

    @Test
    void stagesOutsideARoundAndOutOfRangeSettingsAreRefused() throws Exception {
        Instruction setup = new Instruction(
                "r",
                1,
                "a",
                TaskKind.SECAGG,
                Config.empty().with(SecAggKeys.STAGE, "secagg.setup"),
                ParamSet.empty(),
                new SecAggMessages.SetupRequest("r/1", 3, 2, 9).toBytes());
        assertThatThrownBy(() -> node.handle(setup, Cancellation.none()))
                .hasMessageContaining("no SecAgg round in progress");
        node.handle(train(Config.empty().with(SecAggKeys.TRAIN, true)), Cancellation.none());
        Instruction wrongRange = new Instruction(
                "r",
                1,
                "a",
                TaskKind.SECAGG,
                setup.config().with(SecAggKeys.CLIP_RANGE, 1).with(SecAggKeys.QUANTIZATION_RANGE, 0),
                ParamSet.empty(),
                setup.payload());
        assertThatThrownBy(() -> node.handle(wrongRange, Cancellation.none())).hasMessageContaining("target range");
        Instruction unknown = new Instruction(
                "r", 1, "a", TaskKind.SECAGG, Config.empty().with(SecAggKeys.STAGE, "secagg.reveal_all"), null, null);
        assertThatThrownBy(() -> node.handle(unknown, Cancellation.none()))
                .hasMessageContaining("unknown SecAgg stage 'secagg.reveal_all'");
    }
}
