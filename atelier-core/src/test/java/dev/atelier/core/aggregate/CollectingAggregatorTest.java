package dev.atelier.core.aggregate;

import static dev.atelier.core.testing.Params.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.testing.Params;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CollectingAggregatorTest {
    @Test
    void flattensInNameOrderAndSplitsBackWithShapesAndDtypes() throws Exception {
        List<float[]> seen = new ArrayList<>();
        List<double[]> weightsSeen = new ArrayList<>();
        var agg = new CollectingAggregator("first", (updates, weights) -> {
            seen.addAll(updates);
            weightsSeen.add(weights);
            return updates.get(0).clone();
        });
        ParamSet p = Params.small()
                .merge(ParamSet.builder()
                        .put("count", AggregationMath.encode(DType.I32, new long[] {1}, new float[] {7}))
                        .build());
        agg.accept(reply("a", p, 5));
        agg.accept(reply("b", Params.map(p, x -> x * 2), 2));
        assertThat(agg.accepted()).isEqualTo(2);
        ParamSet r = agg.result();
        assertThat(r).isEqualTo(p);
        assertThat(r.get("count").dtype()).isEqualTo(DType.I32);
        assertThat(seen.get(1)).containsExactly(2, 4, 6, 8, 10, 12, -2, 0, 1, 14);
        assertThat(weightsSeen.get(0)).containsExactly(5, 2);
    }

    @Test
    void refusesMismatchedRepliesWithoutStoringThem() throws Exception {
        var agg = new CollectingAggregator("median", (u, w) -> RobustMath.coordinateMedian(u));
        agg.accept(reply("a", Params.small(), 1));
        ParamSet wrongShape = Params.small()
                .merge(ParamSet.builder().put("layer.w", Tensor.zeros(6)).build());
        assertThatThrownBy(() -> agg.accept(reply("b", wrongShape, 1)))
                .isInstanceOf(dev.atelier.core.filter.RejectedPayloadException.class)
                .hasMessageContaining("layer.w")
                .hasMessageContaining("[6]");
        assertThatThrownBy(() -> agg.accept(reply("c", Params.vector(1), 1))).hasMessageContaining("names");
        assertThat(agg.accepted()).isEqualTo(1);
        assertThat(agg.result()).isEqualTo(Params.small());
    }

    @Test
    void ruleFailuresBecomeClearStateErrors() throws Exception {
        var agg = new CollectingAggregator(
                "krum(f=1)", (u, w) -> RobustMath.krumSelect(u, 1, 1).length == 1 ? u.get(0) : null);
        agg.accept(reply("a", Params.vector(1), 1));
        agg.accept(reply("b", Params.vector(2), 1));
        assertThatThrownBy(agg::result)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("krum(f=1) cannot aggregate 2 replies")
                .hasMessageContaining("more than 2f+2=4");
        assertThatThrownBy(() -> new CollectingAggregator("x", (u, w) -> u.get(0)).result())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no replies");
    }

    @Test
    void ruleReturningTheWrongLengthIsCaught() throws Exception {
        var agg = new CollectingAggregator("broken", (u, w) -> new float[1]);
        agg.accept(reply("a", Params.small(), 1));
        assertThatThrownBy(agg::result)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned 1 values");
    }

    @Test
    void integerValuesBeyondFloatRangeAreRefusedNotRounded() throws Exception {
        var agg = new CollectingAggregator("median", (u, w) -> u.get(0));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong((1L << 24) + 1)
                .flip();
        ParamSet p = ParamSet.builder()
                .put("n", dev.atelier.core.params.Tensor.of(dev.atelier.core.params.DType.I64, new long[] {1}, b))
                .build();
        assertThatThrownBy(() -> agg.accept(reply("a", p, 1)))
                .isInstanceOf(dev.atelier.core.filter.RejectedPayloadException.class)
                .hasMessageContaining("16777217")
                .hasMessageContaining("2^24");
        assertThat(agg.accepted()).isZero();
    }
}
