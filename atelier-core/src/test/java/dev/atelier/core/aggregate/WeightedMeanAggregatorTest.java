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
    void exampleWeightedMeanIsExact() {
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
    void uniformWeightsIgnoreExampleCounts() {
        var agg = new WeightedMeanAggregator(true);
        agg.accept(reply("a", Params.vector(0, 4), 100));
        agg.accept(reply("b", Params.vector(2, 8), 0));
        assertThat(agg.result()).isEqualTo(Params.vector(1, 6));
    }

    @Test
    void zeroExampleRepliesAreIgnoredWhenWeighted() {
        var agg = new WeightedMeanAggregator();
        agg.accept(reply("zero", Params.vector(100), 0));
        agg.accept(reply("a", Params.vector(3), 2));
        assertThat(agg.accepted()).isEqualTo(1);
        assertThat(agg.result()).isEqualTo(Params.vector(3));
    }

    @Test
    void aRefusedReplyLeavesNoPartialTrace() {
        var agg = new WeightedMeanAggregator();
        agg.accept(reply("a", Params.small(), 1));
        // layer.w fits, layer.b does not: nothing of this reply may reach the sums.
        ParamSet bad = Params.map(Params.small(), x -> x + 1000)
                .merge(ParamSet.builder()
                        .putF32("layer.b", new long[] {4}, new float[4])
                        .build());
        assertThatThrownBy(() -> agg.accept(reply("bad", bad, 1)))
                .isInstanceOf(IllegalArgumentException.class)
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
    void resultKeepsHalfPrecisionAndIntegerDtypes() {
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

    @Test
    void emptyAggregatorHasNoResult() {
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
