package dev.atelier.core.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamSetTest {
    private static ParamSet abc() {
        return ParamSet.builder()
                .put("c", Tensor.zeros(1))
                .put("a", Tensor.zeros(2))
                .put("b", Tensor.zeros(3))
                .build();
    }

    @Test
    void keepsInsertionOrderAndReplacesDuplicatesInPlace() {
        ParamSet p = ParamSet.builder()
                .put("c", Tensor.zeros(1))
                .put("a", Tensor.zeros(2))
                .put("c", Tensor.zeros(4))
                .build();
        assertThat(p.names()).containsExactly("c", "a");
        assertThat(p.get("c").numElements()).isEqualTo(4);
        assertThat(p.numElements()).isEqualTo(6);
        assertThat(p.byteSize()).isEqualTo(24);
    }

    @Test
    void ofCopiesAnOrderedMap() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("z", Tensor.zeros(1));
        m.put("y", Tensor.zeros(1));
        ParamSet p = ParamSet.of(m);
        m.put("x", Tensor.zeros(1));
        assertThat(p.names()).containsExactly("z", "y");
        assertThatThrownBy(() -> p.asMap().put("w", Tensor.zeros(1))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void selectKeepsOrder() {
        assertThat(abc().select(n -> !n.equals("a")).names()).containsExactly("c", "b");
        assertThat(abc().select(n -> false)).isSameAs(ParamSet.empty());
    }

    @Test
    void mergeOverridesInPlaceAndAppendsNewNames() {
        ParamSet merged = abc().merge(ParamSet.builder()
                .put("a", Tensor.zeros(9))
                .put("d", Tensor.zeros(1))
                .build());
        assertThat(merged.names()).containsExactly("c", "a", "b", "d");
        assertThat(merged.get("a").numElements()).isEqualTo(9);
    }

    @Test
    void sameSpecNeedsOrderShapeAndDtype() {
        ParamSet p = abc();
        ParamSet sameSpecOtherValues = ParamSet.builder()
                .put("c", Tensor.f32(new long[] {1}, new float[] {5}))
                .put("a", Tensor.zeros(2))
                .put("b", Tensor.zeros(3))
                .build();
        assertThat(p.sameSpec(sameSpecOtherValues)).isTrue();
        assertThat(p).isNotEqualTo(sameSpecOtherValues);
        ParamSet reordered = ParamSet.builder()
                .put("a", Tensor.zeros(2))
                .put("c", Tensor.zeros(1))
                .put("b", Tensor.zeros(3))
                .build();
        assertThat(p.sameSpec(reordered)).isFalse();
        assertThat(p).isNotEqualTo(reordered);
        assertThat(p.sameSpec(
                        p.merge(ParamSet.builder().put("b", Tensor.zeros(1, 3)).build())))
                .isFalse();
        assertThat(p.sameSpec(p.merge(ParamSet.builder()
                        .put("b", Tensor.of(DType.I32, new long[] {3}, ByteBuffer.allocate(12)))
                        .build())))
                .isFalse();
        assertThat(p.sameSpec(p.select(n -> !n.equals("b")))).isFalse();
    }

    @Test
    void equalsComparesValues() {
        assertThat(abc()).isEqualTo(abc()).hasSameHashCodeAs(abc());
    }

    @Test
    void rejectsBlankNamesNullTensorsAndUnknownLookups() {
        assertThatThrownBy(() -> ParamSet.builder().put(" ", Tensor.zeros(1))).hasMessageContaining("blank");
        assertThatThrownBy(() -> ParamSet.builder().put("x", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("x");
        assertThatThrownBy(() -> abc().get("missing"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'missing'");
    }
}
