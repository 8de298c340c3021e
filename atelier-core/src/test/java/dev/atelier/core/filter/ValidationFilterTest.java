package dev.atelier.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.aggregate.AggregationMath;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.testing.Params;
import org.junit.jupiter.api.Test;

class ValidationFilterTest {
    private final ValidationFilter filter = new ValidationFilter(Params.small());

    @Test
    void acceptsAMatchingSet() throws RejectedPayloadException {
        ParamSet ok = Params.map(Params.small(), x -> x * 3);
        assertThat(filter.process(ok)).isSameAs(ok);
    }

    @Test
    void rejectsNonFiniteValuesNamingTensorAndIndex() {
        ParamSet nan = Params.small()
                .merge(ParamSet.builder()
                        .putF32("layer.b", new long[] {3}, new float[] {0, Float.NaN, 0})
                        .build());
        assertThatThrownBy(() -> filter.process(nan))
                .isInstanceOf(RejectedPayloadException.class)
                .hasMessageContaining("'layer.b'")
                .hasMessageContaining("element 1");
        ParamSet inf = Params.small()
                .merge(ParamSet.builder()
                        .putF32("layer.b", new long[] {3}, new float[] {Float.NEGATIVE_INFINITY, 0, 0})
                        .build());
        assertThatThrownBy(() -> filter.process(inf)).hasMessageContaining("element 0");
        ParamSet halfSpec = ParamSet.builder()
                .put("h", AggregationMath.encode(DType.F16, new long[] {2}, new float[] {1, 1}))
                .build();
        ParamSet halfInf = ParamSet.builder()
                .put("h", AggregationMath.encode(DType.F16, new long[] {2}, new float[] {1, 1e6f}))
                .build();
        assertThatThrownBy(() -> new ValidationFilter(halfSpec).process(halfInf))
                .hasMessageContaining("element 1");
    }

    @Test
    void rejectsShapeDtypeNamesAndSize() {
        ParamSet shape = Params.small()
                .merge(ParamSet.builder().put("layer.w", Tensor.zeros(3, 2)).build());
        assertThatThrownBy(() -> filter.process(shape)).hasMessageContaining("shape [3, 2], expected [2, 3]");
        ParamSet dtype = Params.small()
                .merge(ParamSet.builder()
                        .put(
                                "layer.b",
                                Tensor.of(
                                        DType.I32,
                                        new long[] {3},
                                        Params.small().get("layer.b").data()))
                        .build());
        assertThatThrownBy(() -> filter.process(dtype)).hasMessageContaining("dtype I32, expected F32");
        ParamSet missing = Params.small().select(n -> n.equals("layer.w"));
        assertThatThrownBy(() -> filter.process(missing)).hasMessageContaining("missing [layer.b]");
        ParamSet bigger = Params.small()
                .merge(ParamSet.builder().put("extra", Tensor.zeros(1)).build());
        assertThatThrownBy(() -> filter.process(bigger)).hasMessageContaining("exceeds the limit");
        assertThatThrownBy(() -> new ValidationFilter(Params.small(), 1)).hasMessageContaining("below the model size");
    }
}
