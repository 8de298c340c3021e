package dev.atelier.core.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.filter.GlobFilter;
import dev.atelier.core.filter.PayloadFilter;
import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.message.Config;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.testing.Params;
import dev.atelier.core.testing.Workloads;
import dev.atelier.core.util.Cancellation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class NodeTest {
    private static final ParamSet MODEL = ParamSet.builder()
            .putF32("disc.w", new long[] {2}, new float[] {1, 2})
            .putF32("disc.bn.mean", new long[] {1}, new float[] {5})
            .putF32("gen.w", new long[] {1}, new float[] {7})
            .build();

    private static Instruction train(String node, ParamSet params) {
        return Instruction.train("run", 1, node, Config.empty(), params);
    }

    /** Records "name>" when the instruction passes and "name<" when the reply passes. */
    private static NodeMiddleware tracing(String name, List<String> trace) {
        return (ins, cancel, next) -> {
            trace.add(name + ">");
            Reply r = next.handle(ins, cancel);
            trace.add(name + "<");
            return r;
        };
    }

    @Test
    void chainRunsOutermostFirstInAndLastOut() throws Exception {
        List<String> trace = new CopyOnWriteArrayList<>();
        Workload w = (ins, cancel) -> {
            trace.add("workload");
            return new Reply(ins.nodeId(), ins.round(), ins.params(), 1, Map.of(), null);
        };
        Node node = new Node("a", List.of(tracing("outer", trace), tracing("inner", trace)), w);
        node.handle(train("a", Params.small()), Cancellation.none());
        assertThat(trace).containsExactly("outer>", "inner>", "workload", "inner<", "outer<");
        assertThat(node.withOuter(tracing("audit", trace)).middleware()).hasSize(3);
    }

    @Test
    void filteringSelectsWhatEntersAndWhatLeaves() throws Exception {
        GlobFilter shared = GlobFilter.of("include disc.**", "exclude **.bn.**");
        Workloads.Recording seen = new Workloads.Recording(Workloads.constant(MODEL, 3));
        Node node = new Node("a", List.of(NodeMiddleware.filtering(shared, shared)), seen);
        Reply r = node.handle(train("a", MODEL), Cancellation.none());
        assertThat(seen.seen().get(0).params().names()).containsExactly("disc.w");
        assertThat(r.params().names()).containsExactly("disc.w");
        assertThat(r.numExamples()).isEqualTo(3);
    }

    @Test
    void middlewareMayAnswerAProtocolStageItself() throws Exception {
        Workloads.Recording seen = new Workloads.Recording(Workloads.shift(1, 1));
        NodeMiddleware analyticsStage = (ins, cancel, next) -> ins.kind() == TaskKind.ANALYTICS
                ? new Reply(ins.nodeId(), ins.round(), ParamSet.empty(), 0, Map.of("stage", 2.0), null)
                : next.handle(ins, cancel);
        Node node = new Node("a", List.of(analyticsStage), seen);
        Reply r = node.handle(
                new Instruction("run", 1, "a", TaskKind.ANALYTICS, Config.empty(), ParamSet.empty(), null),
                Cancellation.none());
        assertThat(r.metrics()).containsEntry("stage", 2.0);
        assertThat(seen.seen()).isEmpty();
        node.handle(train("a", Params.small()), Cancellation.none());
        assertThat(seen.seen()).hasSize(1);
    }

    @Test
    void aRefusedPayloadNamesNodeDirectionAndReason() {
        PayloadFilter refuse = p -> {
            throw new RejectedPayloadException("'gen.w' must stay on the node");
        };
        Node out = new Node(
                "a", List.of(NodeMiddleware.filtering(PayloadFilter.identity(), refuse)), Workloads.constant(MODEL, 1));
        assertThatThrownBy(() -> out.handle(train("a", MODEL), Cancellation.none()))
                .isInstanceOf(RejectedPayloadException.class)
                .hasMessage("node a outbound filter refused the payload: 'gen.w' must stay on the node");
        Workloads.Recording seen = new Workloads.Recording(Workloads.shift(1, 1));
        Node in = new Node("b", List.of(NodeMiddleware.filtering(refuse, PayloadFilter.identity())), seen);
        assertThatThrownBy(() -> in.handle(train("b", MODEL), Cancellation.none()))
                .hasMessageContaining("node b inbound filter refused");
        assertThat(seen.seen()).isEmpty();
    }

    @Test
    void refusesForeignInstructionsAndCancelledTokens() {
        Workloads.Recording seen = new Workloads.Recording(Workloads.shift(1, 1));
        Node node = new Node("a", seen);
        assertThatThrownBy(() -> node.handle(train("b", Params.small()), Cancellation.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("instruction for node b delivered to a");
        Cancellation stopped = Cancellation.none();
        stopped.cancel("node stopping");
        assertThatThrownBy(() -> node.handle(train("a", Params.small()), stopped))
                .isInstanceOf(CancellationException.class)
                .hasMessage("node stopping");
        assertThat(seen.seen()).isEmpty();
    }

    @Test
    void closeClosesWorkloadAndCloseableMiddleware() {
        List<String> closed = new CopyOnWriteArrayList<>();
        final class ClosingWorkload implements Workload, AutoCloseable {
            @Override
            public Reply handle(Instruction ins, Cancellation cancel) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
                closed.add("workload");
            }
        }
        final class ClosingMiddleware implements NodeMiddleware, AutoCloseable {
            @Override
            public Reply handle(Instruction ins, Cancellation cancel, Workload next) throws Exception {
                return next.handle(ins, cancel);
            }

            @Override
            public void close() {
                closed.add("middleware");
            }
        }
        new Node(
                        "a",
                        List.of(
                                new ClosingMiddleware(),
                                NodeMiddleware.filtering(PayloadFilter.identity(), PayloadFilter.identity())),
                        new ClosingWorkload())
                .close();
        assertThat(closed).containsExactly("middleware", "workload");
    }
}
