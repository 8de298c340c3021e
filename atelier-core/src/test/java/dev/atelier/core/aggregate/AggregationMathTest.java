package dev.atelier.core.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.params.DType;
import dev.atelier.core.params.Tensor;
import org.junit.jupiter.api.Test;

class AggregationMathTest {
    @Test
    void bfloat16RoundsToNearestEven() {
        assertThat(AggregationMath.toBFloat16(1f)).isEqualTo((short) 0x3F80);
        // 1 + 2^-8 is half-way between 0x3F80 and 0x3F81: ties go to the even 0x3F80.
        assertThat(AggregationMath.toBFloat16(Float.intBitsToFloat(0x3F808000))).isEqualTo((short) 0x3F80);
        // half-way between 0x3F81 and 0x3F82: ties go to the even 0x3F82.
        assertThat(AggregationMath.toBFloat16(Float.intBitsToFloat(0x3F818000))).isEqualTo((short) 0x3F82);
        // just above half-way rounds up.
        assertThat(AggregationMath.toBFloat16(Float.intBitsToFloat(0x3F808001))).isEqualTo((short) 0x3F81);
        assertThat(Float.isNaN(Float.intBitsToFloat(AggregationMath.toBFloat16(Float.NaN) << 16)))
                .isTrue();
        assertThat(AggregationMath.toBFloat16(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7F80);
    }

    @Test
    void encodeKeepsDtypeAndShape() {
        Tensor half = AggregationMath.encode(DType.F16, new long[] {1, 2}, new float[] {0.5f, 65504f});
        assertThat(half.dtype()).isEqualTo(DType.F16);
        assertThat(half.shape()).containsExactly(1, 2);
        assertThat(half.toFloats()).containsExactly(0.5f, 65504f);
        Tensor bf = AggregationMath.encode(DType.BF16, new long[] {1}, new float[] {3.140625f});
        assertThat(bf.toFloats()).containsExactly(3.140625f);
    }

    @Test
    void integersRoundHalfEvenAndSaturate() {
        Tensor i32 = AggregationMath.encode(DType.I32, new long[] {4}, new float[] {2.5f, 3.5f, -1.6f, 1e20f});
        assertThat(i32.toLongs()).containsExactly(2L, 4L, -2L, Integer.MAX_VALUE);
        Tensor i64 = AggregationMath.encode(DType.I64, new long[] {1}, new float[] {-1e30f});
        assertThat(i64.toLongs()).containsExactly(Long.MIN_VALUE);
    }

    @Test
    void addScaledDecodesEveryFloatingDtype() {
        double[] acc = new double[2];
        AggregationMath.addScaled(
                acc, Tensor.f32(new long[] {2}, new float[] {1, 2}).data(), DType.F32, 2);
        AggregationMath.addScaled(
                acc,
                AggregationMath.encode(DType.F16, new long[] {2}, new float[] {0.5f, 0.25f})
                        .data(),
                DType.F16,
                4);
        assertThat(acc).containsExactly(4.0, 5.0);
        assertThat(AggregationMath.squaredDistance(new float[] {1, 2}, new float[] {4, 6}))
                .isEqualTo(25.0);
    }
}
