package dev.atelier.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.testing.Params;
import dev.atelier.core.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The scripted hostile node of {@link HostileReplyTest}, re-run with randomised values: each try
 * is one round where honest nodes "a" and "b" shift the model by +1 with 10 examples each and
 * "evil" sends one crafted reply (example count anywhere in [0, 2^63), values scaled or shifted
 * up to ±3e38 or NaN, a foreign round or node, hostile metric names and values). Whatever it
 * sends: the round ends (no exception, bounded time); the global model stays finite; a refused
 * reply leaves it exactly at the honest mean; an accepted one moves it by at most the update-norm
 * bound plus the honest step; every failure reason is one line without control characters; and
 * what evil was told matches the round's record.
 */
class HostileReplyPropertyTest {
    /** One crafted reply: how it differs from an honest one. */
    record Attack(long examples, float scale, float shift, int roundDelta, String node, String metric, double value) {}

    private static final class OneEvil implements Transport {
        private final Attack attack;
        final List<String> told = Collections.synchronizedList(new ArrayList<>());

        OneEvil(Attack attack) {
            this.attack = attack;
        }

        @Override
        public List<NodeInfo> awaitNodes(int min, Duration timeout) {
            return List.of(NodeInfo.of("a"), NodeInfo.of("b"), NodeInfo.of("evil"));
        }

        @Override
        public void sendAndReceive(List<Instruction> instructions, ReplySink sink, Duration deadline) {
            for (Instruction ins : instructions) {
                Reply r = ins.nodeId().equals("evil")
                        ? new Reply(
                                attack.node(),
                                ins.round() + attack.roundDelta(),
                                Params.map(ins.params(), x -> x * attack.scale() + attack.shift()),
                                attack.examples(),
                                Map.of(attack.metric(), attack.value()),
                                null)
                        : new Reply(
                                ins.nodeId(), ins.round(), Params.map(ins.params(), x -> x + 1), 10, Map.of(), null);
                try {
                    sink.onReply(r);
                    told.add(r.nodeId() + ": ACCEPTED");
                } catch (RejectedPayloadException e) {
                    told.add(r.nodeId() + ": " + e.getMessage());
                }
            }
        }
    }

    private static double norm(ParamSet p) {
        double s = 0;
        for (float v : Params.flat(p)) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    private static ParamSet minus(ParamSet a, ParamSet b) {
        float[] x = Params.flat(a);
        float[] y = Params.flat(b);
        float[] d = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i] - y[i];
        }
        return Params.vector(d);
    }

    @Property(tries = 200)
    void whateverOneNodeSendsTheRoundEndsAndTheModelStaysFiniteAndBounded(@ForAll("attacks") Attack attack)
            throws Exception {
        ParamSet initial = Params.small();
        OneEvil t = new OneEvil(attack);
        long t0 = System.nanoTime();
        Run.Result r = Run.builder()
                .setConfig(RunConfig.of("hostile-prop", 1, 3))
                .setStrategy(new FedAvg(new Sampling(1.0, 3, 2, 1.0), Config.empty()))
                .setTransport(t)
                .setInitial(initial)
                .build()
                .execute();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        RoundRecord round = r.rounds().get(0);
        float[] global = Params.flat(r.global());
        for (float v : global) {
            assertThat(v).isFinite();
        }
        ParamSet honest = Params.map(initial, x -> x + 1);
        List<Failure> evil = round.failures().stream()
                .filter(f -> f.nodeId().equals(attack.node()))
                .toList();
        for (Failure f : round.failures()) {
            assertThat(f.reason()).doesNotContainPattern("[\\p{Cntrl}\\u2028\\u2029]");
        }
        if (round.replies() == 2) {
            // refused: the model is exactly the honest mean, and evil was told the recorded reason
            assertThat(Params.flat(r.global())).containsExactly(Params.flat(honest));
            assertThat(evil).singleElement().satisfies(f -> assertThat(f.kind()).isEqualTo(Failure.Kind.REJECTED));
            assertThat(t.told).contains(attack.node() + ": " + evil.get(0).reason());
        } else {
            assertThat(round.replies()).isEqualTo(3);
            assertThat(t.told).contains(attack.node() + ": ACCEPTED");
            int n = global.length;
            double bound = ReplyLimits.DEFAULT_MAX_UPDATE_NORM_RATIO
                    * Math.max(norm(initial), ReplyLimits.DEFAULT_NORM_FLOOR_RMS * Math.sqrt(n));
            assertThat(norm(minus(r.global(), honest))).isLessThanOrEqualTo(bound + Math.sqrt(n) + 1e-3);
        }
    }

    @Provide
    Arbitrary<Attack> attacks() {
        Arbitrary<Long> examples = Arbitraries.oneOf(
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.longs().between(0, 2_000_000),
                Arbitraries.of(0L, 1L, 1_000_000L, 1_000_001L, Long.MAX_VALUE));
        Arbitrary<Float> scale = Arbitraries.oneOf(
                Arbitraries.just(1f), Arbitraries.floats().between(-3e38f, 3e38f), Arbitraries.of(Float.NaN, 0f));
        Arbitrary<Float> shift = Arbitraries.oneOf(
                Arbitraries.floats().between(-2f, 2f),
                Arbitraries.floats().between(-3e38f, 3e38f),
                Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY));
        Arbitrary<Integer> roundDelta = Arbitraries.oneOf(
                Arbitraries.just(0), Arbitraries.integers().between(-3, 3), Arbitraries.of(424_241, Integer.MIN_VALUE));
        // Not another sampled node's name: over gRPC the name is the certificate's, so a node cannot
        // answer as "a" (HostileReplyTest covers foreign names in the core run).
        Arbitrary<String> node = Arbitraries.of("evil", "evil", "evil", "nobody", "evil\n[INFO] forged");
        Arbitrary<String> metric = Arbitraries.oneOf(
                Arbitraries.of("loss", "acc"),
                Arbitraries.strings().ofMaxLength(80),
                Arbitraries.of("\u001b[31mred", "x".repeat(100), ""));
        Arbitrary<Double> value =
                Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, 3e38));
        return Combinators.combine(examples, scale, shift, roundDelta, node, metric, value)
                .as(Attack::new);
    }
}
