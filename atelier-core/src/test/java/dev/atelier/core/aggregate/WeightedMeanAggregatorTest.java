package dev.atelier.core.aggregate;

import static dev.atelier.core.testing.Params.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.testing.Params;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class WeightedMeanAggregatorTest {
    @Test
    void exampleWeightedMeanIsExact() throws Exception {
        var agg = new WeightedMeanAggregator();
        agg.accept(reply("a", Params.map(Params.small(), x -> x + 1), 1));
        agg.accept(reply("b", Params.map(Params.small(), x -> x + 2), 3));
        assertThat(agg.accepted()).isEqualTo(2);
        assertThat(agg.totalWeight()).isEqualTo(4);
        // (1 * (x + 1) + 3 * (x + 2)) / 4 = x + 1.75, exact in binary
        assertThat(agg.result()).isEqualTo(Params.map(Params.small(), x -> x + 1.75f));
        assertThat(agg.result().names()).containsExactly("layer.w", "layer.b");
    }

    @Test
    void hugeFiniteValuesAtTheLargestWeightsKeepTheAccumulatorsFinite() throws Exception {
        // The run caps weights (ReplyLimits) and update norms; even without those, a double sum of
        // float32 values times long weights cannot overflow: 3.4e38 * 4.6e15 * 1000 ~ 1.6e57.
        var agg = new WeightedMeanAggregator();
        for (int i = 0; i < 1000; i++) {
            agg.accept(
                    reply("evil" + i, Params.vector(Float.MAX_VALUE, -Float.MAX_VALUE, 3e38f), Long.MAX_VALUE / 2000));
        }
        agg.accept(reply("honest", Params.vector(1, 2, 3), 1_000_000));
        float[] mean = agg.result().get("w").toFloats();
        assertThat(Float.isFinite(mean[2])).isTrue();
        assertThat(mean[0]).isEqualTo(Float.MAX_VALUE);
        assertThat(mean[1]).isEqualTo(-Float.MAX_VALUE);
        // and an honest reply folded in after them is not turned into NaN
        var after = new WeightedMeanAggregator();
        after.accept(reply("evil", Params.vector(3e38f, 3e38f, 3e38f), 1_000_000));
        after.accept(reply("honest", Params.vector(1, 2, 3), 1_000_000));
        assertThat(after.result()).isEqualTo(Params.vector(1.5e38f, 1.5e38f, 1.5e38f));
    }

    @Test
    void uniformWeightsIgnoreExampleCounts() throws Exception {
        var agg = new WeightedMeanAggregator(true);
        agg.accept(reply("a", Params.vector(0, 4), 100));
        agg.accept(reply("b", Params.vector(2, 8), 0));
        assertThat(agg.result()).isEqualTo(Params.vector(1, 6));
    }

    @Test
    void zeroExampleRepliesAreIgnoredWhenWeighted() throws Exception {
        var agg = new WeightedMeanAggregator();
        agg.accept(reply("zero", Params.vector(100), 0));
        agg.accept(reply("a", Params.vector(3), 2));
        assertThat(agg.accepted()).isEqualTo(1);
        assertThat(agg.result()).isEqualTo(Params.vector(3));
    }

    @Test
    void aRefusedReplyLeavesNoPartialTrace() throws Exception {
        var agg = new WeightedMeanAggregator();
        agg.accept(reply("a", Params.small(), 1));
        // layer.w fits, layer.b does not: nothing of this reply may reach the sums.
        ParamSet bad = Params.map(Params.small(), x -> x + 1000)
                .merge(ParamSet.builder()
                        .putF32("layer.b", new long[] {4}, new float[4])
                        .build());
        assertThatThrownBy(() -> agg.accept(reply("bad", bad, 1)))
                .isInstanceOf(dev.atelier.core.filter.RejectedPayloadException.class)
                .hasMessageContaining("bad")
                .hasMessageContaining("layer.b");
        ParamSet reshaped = Params.small()
                .merge(ParamSet.builder().put("layer.w", Tensor.zeros(3, 2)).build());
        assertThatThrownBy(() -> agg.accept(reply("reshaped", reshaped, 1))).hasMessageContaining("[3, 2]");
        ParamSet renamed = Params.small().select(n -> n.equals("layer.w"));
        assertThatThrownBy(() -> agg.accept(reply("renamed", renamed, 1))).hasMessageContaining("names");
        assertThat(agg.accepted()).isEqualTo(1);
        assertThat(agg.result()).isEqualTo(Params.small());
    }

    @Test
    void resultKeepsHalfPrecisionAndIntegerDtypes() throws Exception {
        ByteBuffer half = ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putShort(Float.floatToFloat16(1f))
                .putShort(Float.floatToFloat16(-2f))
                .flip();
        ByteBuffer count = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(10)
                .flip();
        ParamSet p = ParamSet.builder()
                .put("h", Tensor.of(DType.F16, new long[] {2}, half))
                .put("n", Tensor.of(DType.I64, new long[] {}, count))
                .build();
        var agg = new WeightedMeanAggregator();
        agg.accept(reply("a", p, 1));
        agg.accept(reply("b", Params.map(p, x -> x + 3), 1));
        ParamSet r = agg.result();
        assertThat(r.sameSpec(p)).isTrue();
        assertThat(r.get("h").toFloats()).containsExactly(2.5f, -0.5f);
        assertThat(r.get("n").toLongs()).containsExactly(12L); // (10 + 13) / 2 = 11.5, rounded half-even
    }

    private static ParamSet longs(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        return ParamSet.builder()
                .put("n", Tensor.of(DType.I64, new long[] {v.length}, b.flip()))
                .build();
    }

    @Test
    void integerMeansAreExactBeyondFloatAndDoubleRange() throws Exception {
        long above24 = (1L << 24) + 1; // float32 would round it to 2^24
        long above53 = (1L << 53) + 1; // double would round it to 2^53
        long big = Long.MAX_VALUE - 2; // weight * value overflows 64 bits
        var agg = new WeightedMeanAggregator();
        agg.accept(reply("a", longs(above24, above53, big, -above53, 7), 3));
        agg.accept(reply("b", longs(above24, above53, big, -above53 - 2, 8), 5));
        long[] mean = agg.result().get("n").toLongs();
        // identical values average to themselves exactly, whatever their weights
        assertThat(mean[0]).isEqualTo(above24);
        assertThat(mean[1]).isEqualTo(above53);
        assertThat(mean[2]).isEqualTo(big);
        // (3 * -(2^53+1) + 5 * -(2^53+3)) / 8 = -(2^53) - 2.25 -> -(2^53) - 2
        assertThat(mean[3]).isEqualTo(-(1L << 53) - 2);
        // (3*7 + 5*8) / 8 = 7.625 -> 8
        assertThat(mean[4]).isEqualTo(8);
    }

    @Test
    void integerMeansRoundHalfToEven() throws Exception {
        assertThat(ExactIntegerSum.roundedQuotient(5, 2)).isEqualTo(2);
        assertThat(ExactIntegerSum.roundedQuotient(7, 2)).isEqualTo(4);
        assertThat(ExactIntegerSum.roundedQuotient(-5, 2)).isEqualTo(-2);
        assertThat(ExactIntegerSum.roundedQuotient(-7, 2)).isEqualTo(-4);
        assertThat(ExactIntegerSum.roundedQuotient(-7, 4)).isEqualTo(-2);
        assertThat(ExactIntegerSum.roundedQuotient(Long.MAX_VALUE, Long.MAX_VALUE - 1))
                .isEqualTo(1);
        // a 128-bit sum: two replies of Long.MAX_VALUE with weight 2^61 each, mean Long.MAX_VALUE
        var agg = new WeightedMeanAggregator();
        agg.accept(reply("a", longs(Long.MAX_VALUE, Long.MIN_VALUE), 1L << 61));
        agg.accept(reply("b", longs(Long.MAX_VALUE, Long.MIN_VALUE), 1L << 61));
        assertThat(agg.result().get("n").toLongs()).containsExactly(Long.MAX_VALUE, Long.MIN_VALUE);
    }

    @Test
    void emptyAggregatorHasNoResult() throws Exception {
        assertThatThrownBy(() -> new WeightedMeanAggregator().result()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new WeightedMeanAggregator().accept(reply("a", ParamSet.empty(), 1)))
                .hasMessageContaining("no parameters");
    }

    @Test
    void concurrentAcceptsAreAllCounted() throws Exception {
        var agg = new WeightedMeanAggregator();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        agg.accept(reply("n" + thread, Params.vector(thread, 2 * thread), 1 + (i % 3)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(agg.accepted()).isEqualTo(400);
        // Every thread has the same weight total, so the mean is the mean of 0..7 = 3.5 (and 7 for 2x).
        assertThat(agg.result()).isEqualTo(Params.vector(3.5f, 7f));
    }
}
