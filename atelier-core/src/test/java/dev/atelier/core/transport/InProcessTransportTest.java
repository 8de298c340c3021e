package dev.atelier.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.testing.Params;
import dev.atelier.core.testing.RecordingSink;
import dev.atelier.core.testing.Workloads;
import dev.atelier.core.transport.WireLedger.Direction;
import dev.atelier.core.transport.WireLedger.PayloadKind;
import dev.atelier.core.workload.Node;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InProcessTransportTest {
    private static final Duration DEADLINE = Duration.ofSeconds(1);

    private static List<Instruction> train(String... nodes) {
        return java.util.Arrays.stream(nodes)
                .map(n -> Instruction.train("run", 1, n, Config.empty(), Params.small()))
                .toList();
    }

    @Test
    void aReplyAfterTheDeadlineIsATimeoutAndLaterNodesAreNotRun() throws Exception {
        AtomicInteger slowSteps = new AtomicInteger();
        Workloads.Recording after = new Workloads.Recording(Workloads.shift(1, 1));
        // 6 steps of 250 ms ignore the 1 s deadline: the reply comes back at ~1.5 s.
        InProcessTransport t = new InProcessTransport(List.of(
                new Node("fast", Workloads.shift(1, 1)),
                new Node("stubborn", Workloads.slow(6, 250, false, slowSteps)),
                new Node("after", after)));
        RecordingSink sink = new RecordingSink();
        t.sendAndReceive(train("fast", "stubborn", "after"), sink, DEADLINE);

        assertThat(sink.replies).extracting(Reply::nodeId).containsExactly("fast");
        assertThat(slowSteps).hasValue(6);
        Map<String, Failure> f = sink.failuresByNode();
        assertThat(f).containsOnlyKeys("stubborn", "after");
        assertThat(f.get("stubborn").kind()).isEqualTo(Failure.Kind.TIMEOUT);
        assertThat(f.get("stubborn").reason()).contains("reply came back after the round deadline of PT1S passed");
        assertThat(f.get("after").kind()).isEqualTo(Failure.Kind.TIMEOUT);
        assertThat(f.get("after").reason()).isEqualTo("round deadline of PT1S passed");
        assertThat(after.seen()).isEmpty();
        // The discarded reply never crossed the wire back.
        assertThat(t.ledger().total(Direction.FROM_NODE, PayloadKind.PARAMETERS))
                .isEqualTo(t.ledger().total(Direction.TO_NODE, PayloadKind.PARAMETERS) / 2);
    }

    @Test
    void theOutboundListenerSeesWhatTheLedgerCountedFromEachNode() throws Exception {
        List<SentMessage> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        InProcessTransport t = new InProcessTransport(
                        List.of(new Node("a", Workloads.shift(1, 3)), new Node("b", Workloads.shift(2, 4))))
                .optOutbound(sent::add);
        RecordingSink sink = new RecordingSink();
        t.sendAndReceive(train("a", "b"), sink, Duration.ofSeconds(30));

        assertThat(sink.failuresByNode()).isEmpty();
        assertThat(sent).extracting(SentMessage::nodeId).containsExactly("a", "b");
        for (SentMessage m : sent) {
            assertThat(m.round()).isEqualTo(1);
            assertThat(m.call()).isEqualTo(SentMessage.IN_PROCESS_REPLY);
            for (PayloadKind k : PayloadKind.values()) {
                Long counted = t.ledger().snapshot().get(new WireLedger.Key(m.nodeId(), 1, Direction.FROM_NODE, k));
                assertThat(m.bytes(k)).as("%s %s", m.nodeId(), k).isEqualTo(counted == null ? 0 : counted);
            }
            assertThat(m.bytes(PayloadKind.PARAMETERS)).isPositive();
            assertThat(m.bytes(PayloadKind.METRICS)).isEqualTo("loss".length() + 8);
            assertThat(m.tensors())
                    .extracting(SentMessage.TensorBytes::name)
                    .containsExactlyInAnyOrderElementsOf(Params.small().names());
        }
    }

    @Test
    void aCooperatingWorkloadStopsAtTheDeadline() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        InProcessTransport t = new InProcessTransport(List.of(
                new Node("a", Workloads.shift(1, 1)),
                new Node("polite", Workloads.slow(50, 200, true, steps)),
                new Node("b", Workloads.shift(2, 1))));
        RecordingSink sink = new RecordingSink();
        long t0 = System.nanoTime();
        t.sendAndReceive(train("a", "polite", "b"), sink, DEADLINE);
        double seconds = (System.nanoTime() - t0) / 1e9;

        // It checks the token before each 200 ms step: at most 5 fit in 1 s, instead of all 50 (10 s).
        assertThat(steps.get()).isBetween(1, 5);
        assertThat(seconds).isLessThan(2.5);
        assertThat(sink.replies).extracting(Reply::nodeId).containsExactly("a");
        Map<String, Failure> f = sink.failuresByNode();
        assertThat(f.get("polite").kind()).isEqualTo(Failure.Kind.TIMEOUT);
        assertThat(f.get("polite").reason())
                .isEqualTo("stopped early: round deadline of PT1S passed (reply discarded)");
        assertThat(f.get("b").kind()).isEqualTo(Failure.Kind.TIMEOUT);
    }

    @Test
    void withinTheDeadlineEveryNodeIsTriedAndErrorsStayErrors() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        InProcessTransport t = new InProcessTransport(List.of(
                new Node("slowish", Workloads.slow(2, 20, true, steps)),
                new Node("boom", Workloads.failing("disk on fire")),
                new Node("c", Workloads.shift(1, 1))));
        RecordingSink sink = new RecordingSink();
        t.sendAndReceive(train("slowish", "boom", "c", "ghost"), sink, Duration.ofSeconds(30));

        assertThat(steps).hasValue(2);
        assertThat(sink.replies).extracting(Reply::nodeId).containsExactly("slowish", "c");
        assertThat(sink.replies.get(0).params()).isEqualTo(Params.map(Params.small(), x -> x + 1));
        Map<String, Failure> f = sink.failuresByNode();
        assertThat(f.get("boom").kind()).isEqualTo(Failure.Kind.ERROR);
        assertThat(f.get("boom").reason()).isEqualTo("disk on fire");
        assertThat(f.get("ghost").kind()).isEqualTo(Failure.Kind.DISCONNECTED);
    }

    /** "first" can only finish once "second" has started: it waits for it, then finishes last. */
    private static List<Node> waitingPair(java.util.concurrent.CountDownLatch secondStarted, int waitSeconds) {
        return List.of(
                new Node("first", (ins, cancel) -> {
                    if (!secondStarted.await(waitSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
                        throw new IllegalStateException("second never ran beside me");
                    }
                    Thread.sleep(100);
                    return Workloads.shift(1, 1).handle(ins, cancel);
                }),
                new Node("second", (ins, cancel) -> {
                    secondStarted.countDown();
                    return Workloads.shift(2, 1).handle(ins, cancel);
                }),
                new Node("boom", Workloads.failing("disk on fire")));
    }

    /** Node ids in the order the sink heard of them, replies and failures alike. */
    private static final class OrderSink implements Transport.ReplySink {
        final List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Reply> replies = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void onReply(Reply reply) {
            order.add(reply.nodeId());
            replies.add(reply);
        }

        @Override
        public void onFailure(Failure failure) {
            order.add(failure.nodeId() + ":" + failure.kind() + ":" + failure.reason());
        }
    }

    @Test
    void parallelNodesRunAtOnceAndTheirOutcomesArriveInInstructionOrder() throws Exception {
        InProcessTransport t =
                new InProcessTransport(waitingPair(new java.util.concurrent.CountDownLatch(1), 10)).optParallelism(3);
        OrderSink sink = new OrderSink();
        t.sendAndReceive(train("first", "second", "boom"), sink, Duration.ofSeconds(30));

        // "second" finished ~100 ms before "first", yet the sink hears of them in instruction order.
        assertThat(sink.order).containsExactly("first", "second", "boom:ERROR:disk on fire");
        assertThat(sink.replies.get(0).params()).isEqualTo(Params.map(Params.small(), x -> x + 1));
        assertThat(sink.replies.get(1).params()).isEqualTo(Params.map(Params.small(), x -> x + 2));
        for (String n : List.of("first", "second")) {
            assertThat(t.ledger().snapshot().get(new WireLedger.Key(n, 1, Direction.FROM_NODE, PayloadKind.PARAMETERS)))
                    .isPositive();
        }
    }

    @Test
    void byDefaultNodesRunOneAfterAnother() throws Exception {
        InProcessTransport t = new InProcessTransport(waitingPair(new java.util.concurrent.CountDownLatch(1), 1));
        OrderSink sink = new OrderSink();
        t.sendAndReceive(train("first", "second"), sink, Duration.ofSeconds(30));

        assertThat(sink.order).containsExactly("first:ERROR:second never ran beside me", "second");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.optParallelism(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parallelism must be at least 1, got 0");
    }
}
